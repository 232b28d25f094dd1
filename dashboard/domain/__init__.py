"""Pure rules of the programme: no SQL, no Dash (working days, ranking, SPC, UK conventions)."""
