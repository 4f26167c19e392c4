"""The Textual workbench: app, palette, screens, widgets, styles (imports service and below)."""
