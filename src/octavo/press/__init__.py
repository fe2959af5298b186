"""Print production: page geometry, print settings, and the finishing pass on the laid-out PDF
(boxes, bleed, outline, metadata, PDF/X) that a print-on-demand service checks."""
