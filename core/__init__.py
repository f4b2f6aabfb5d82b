"""The ground floor: vocabularies, French wording and HTTP helpers that every app shares.

Every app may import it; it imports no app of the project (nor the `mentorat`
wiring package), so that a rule written here has one home and no circle.
"""
