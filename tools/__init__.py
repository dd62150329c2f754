"""Developer tools that are not part of the product: fixtures and README pictures."""
