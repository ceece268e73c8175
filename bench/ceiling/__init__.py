"""Leaner report endpoints for scale (see views.py). The bench process reads the tables from here without Django."""

TABLES = """
CREATE TABLE ceiling_event (id bigserial PRIMARY KEY, payload text, at timestamptz, lon float, lat float);
CREATE INDEX ON ceiling_event (lat, lon);
CREATE TABLE ceiling_history (id bigserial PRIMARY KEY, event_id bigint, at timestamptz, data text);
CREATE INDEX ON ceiling_history (event_id);
CREATE TABLE ceiling_audit (id bigserial PRIMARY KEY, event_id bigint, at timestamptz, signature text);
"""
VIEWS = ("statements", "one", "ninja")
