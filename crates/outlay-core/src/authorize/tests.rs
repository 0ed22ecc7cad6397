//! Unit tests of this module (being rewritten for role model v2).
