"""The phone pages (网格通), one module per part of the app; `common` holds what every page shares."""
