//! What the go1.21 and go1.22 wire formats share, std only: [`Error`] (Go's message and the byte
//! offset), the encoder's varints ([`varint`], `traceBuf.varint`/`varintAt` in both runtimes),
//! Go's `strconv.Quote` ([`quote`], used by both formats' dumps and messages), the body of a
//! stack record and its [`Frame`] ([`stack_record`]), the header sniffing that tells the formats
//! apart ([`version`]), and the parsers' per-id state map ([`id_map`]). Each format's own
//! encoder, decoder and parser live in its model.

pub mod id_map;
pub mod quote;
pub mod stack_record;
pub mod varint;
pub mod version;

pub use stack_record::Frame;

use std::fmt;

/// A decode or parse failure: Go's message (verbatim where Go has one) and the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The message, as Go's parser words it (it usually names the offset itself).
    pub message: String,
    /// Byte offset in the file of the record at fault, when there is one.
    pub offset: Option<usize>,
}

impl Error {
    /// An error at byte `offset`.
    pub fn at(offset: usize, message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            offset: Some(offset),
        }
    }

    /// An error about the trace as a whole.
    pub fn whole(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            offset: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
