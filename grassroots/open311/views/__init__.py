"""Open311 pages, one module per audience: `georeport` answers machines (GeoReport v2 under /open311/v2/),
`pages` answers residents (the public report page under /report/)."""
