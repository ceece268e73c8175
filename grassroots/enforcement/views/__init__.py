"""The platform's pages."""
