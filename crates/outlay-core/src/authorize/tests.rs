// Filled by the core test suite below.
