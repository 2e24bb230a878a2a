"""Demo city generator: a seeded, Semarang-like tenant with multi-channel complaint sources."""

from pipelines.demo.generator import generate_city

__all__ = ["generate_city"]
