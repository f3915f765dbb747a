// The random inputs, error measures and finite differences live in Parity (the test suite and
// `swifttune selftest` share them); every test that imports TestSupport sees them.
@_exported import Parity
