"""hæfte: document-as-code for Danish research booklets.

The pipeline, one module per stage: ``load`` (files to raw tables) → ``validate`` (data contract,
typed tables) → ``compute`` (every statistic into one read-only ``Results``) → ``format`` (Danish
numbers and words) → ``render`` (templates to Markdown) → ``write`` (web HTML and PDF).

For notebooks (see ``hæfte.api``)::

    import hæfte
    tal = hæfte.results("sti/til/projekt")   # or a hæfte.Project
    tal.to_frame()                            # the figure catalogue as a pandas DataFrame
    hæfte.build("sti/til/projekt")            # the build's report
    hæfte.check("sti/til/projekt").ok         # False when a quoted figure drifted
"""

__version__ = "0.1.0"

from hæfte.api import build, check, results  # noqa: E402
from hæfte.project import Project  # noqa: E402

__all__ = ["Project", "build", "check", "results", "__version__"]
