"""The book as XHTML (html, frontmatter, labels), shared by both editions, and the ebook edition:
EPUB (epub), its page list (pagemap) and the ONIX record (onix)."""
