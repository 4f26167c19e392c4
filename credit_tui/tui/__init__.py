"""The Textual workbench: app, palette, screens, widgets, styles (imports service and below).

Screens, widgets and the palette reach the app through ``tui.host``, never importing ``tui.app``.
"""
