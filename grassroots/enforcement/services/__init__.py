"""Every write of the comprehensive-enforcement platform."""
