"""Publicly known demo credentials. Only the demo loader uses them; never a real account."""

DEMO_PASSWORD = "demo-wachtwoord-2026"
# Base32 TOTP secret shared by every demo staff account (printed by `maatwerk demo`).
DEMO_TOTP_SECRET = "MAATWERKDEMOTOTPGEHEIMSLEUTEL234"
