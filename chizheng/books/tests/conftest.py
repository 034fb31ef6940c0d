"""The subsidy tests' world (an assessed class, reviewers, funds) for the books' checks."""

from chizheng.subsidy.tests.conftest import money, world

__all__ = ["money", "world"]
