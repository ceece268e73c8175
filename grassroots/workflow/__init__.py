"""The workflow core: what every case workflow of the product (events, applications, cases, disputes, petitions)
declares once and gets from here."""
