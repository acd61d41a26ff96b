"""Layer 6, authoring: YAML rule cases of packs, the traceability of requirements, the pack contract.
"""
