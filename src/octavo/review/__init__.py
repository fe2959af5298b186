"""Review copies (advance reader copies): the review edition, personal copies stamped and
patched from it, the manifest, and tracing a leaked copy back to its reviewer."""
