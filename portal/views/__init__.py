"""Web pages of the competenze app: counsellor (operatore) and trainee (beneficiario)."""
