"""Layer 0, core: errors, safe reading of YAML/JSON, the i18n catalogue, the vocabulary of the law
(citations, acts, parameters), tables and the version. Imports nothing else of the package.
"""
