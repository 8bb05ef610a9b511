"""Small data and simulations made for single case studies (one module per case).

Each generator is deterministic (a fixed seed by default) and documented, with its planted
effects, in the README of its case folder under ``casestudies/``.
"""
