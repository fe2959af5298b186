"""Covers: the ebook's front image (given or typographic), the print wrap-around cover (front,
spine, back, PDF/X) and the review edition's "Advance Reader Copy" band."""
