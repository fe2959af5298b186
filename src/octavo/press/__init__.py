"""The print edition, in pipeline order.

- ``settings``, ``geometry``, ``hyphenation``: what book.toml and the trim ask of the page;
- ``shaping``, ``linebreak``, ``lines``: each justified paragraph measured with the theme's
  fonts, broken into lines by optimal fit, the lines written back into the print HTML;
- ``spreads``: a chapter's lines planned over its pages so facing pages end level;
- ``layout``: the print document laid out by WeasyPrint;
- ``finish``: boxes, bleed, outline, metadata and PDF/X on the laid-out PDF;
- ``pagemap``: where each printed page begins, handed to the ebook as data.
"""
