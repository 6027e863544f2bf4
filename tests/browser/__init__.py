"""Browser tests: a package, so their module names (test_practice) do not clash with the engine tests'."""
