"""The office's own scoring table (指标体系) in and out: TOML, XLSX, checks and changes."""
