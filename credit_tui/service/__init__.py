"""What both faces use: write API, load and score, import previews (imports reports and below)."""
