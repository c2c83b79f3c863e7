"""The write stage: the booklet's Markdown and charts into the outputs readers get.

One module per output, each opening with what goes in and out:

- ``pandoc``: Markdown to HTML with pandoc (the engine Quarto uses), the shared converter;
- ``web``: the web version (``web/index.html`` with its assets, charts and other pages);
- ``pdf``: the print HTML and the PDFs laid out by WeasyPrint;
- ``resources``: what the outputs may load: only files inside the project's allowed folders.
"""
