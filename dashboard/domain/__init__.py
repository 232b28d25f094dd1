"""Pure rules of the programme, no SQL and no Dash: working days, ranking, SPC, the RAG suggestion, the
savings rules, UK conventions (dates, money, financial years) and what counts as a missing value."""
