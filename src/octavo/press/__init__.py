"""The print edition, in pipeline order.

- ``settings``, ``hyphenation``: what book.toml asks of the page (its size: ``octavo.geometry``);
- ``shaping``, ``linebreak``, ``lines``: each justified paragraph measured with the theme's
  fonts, broken into lines by optimal fit, the lines written back into the print HTML;
- ``spreads``: a chapter's lines planned over its pages so facing pages end level;
- ``document``: the print document (its parts: front matter, each part and chapter), its CSS,
  options and URL fetcher;
- ``chapters``: each part and chapter set and laid out alone, in a pool of processes;
  ``cache``: the laid-out chapters kept by the hash of what they were made from;
- ``join``: the pieces joined into one book, folios and running heads drawn over them;
- ``pieces``: that pipeline from a book to its finished PDF, the only layout of the print
  edition;
- ``finish``: boxes, bleed, metadata and PDF/X on the joined PDF;
- ``pagemap``: where each printed page begins, handed to the ebook as data;
- ``export``: the pieces as laid out, joined into one HTML document (``--format html``);
- ``cover``, ``barcode``: the wrap-around cover of the print edition.
"""
