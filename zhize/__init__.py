"""The zhize command line and configuration."""
__version__ = "0.1.0"
