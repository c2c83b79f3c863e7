"""hæfte: document-as-code for Danish research booklets.

The pipeline, one module per stage: ``load`` (files to raw tables) → ``validate`` (data contract,
typed tables) → ``compute`` (every statistic into one read-only ``Results``) → ``format`` (Danish
numbers and words) → ``render`` (templates to Markdown) → ``write`` (web HTML and PDF).
"""

__version__ = "0.1.0"
