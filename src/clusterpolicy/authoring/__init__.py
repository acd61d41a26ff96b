"""Layer 6, authoring: YAML rule cases of packs and the traceability of requirements.
"""
