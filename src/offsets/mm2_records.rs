//! MirrorMaker 2's internal records, decoded and encoded natively, byte for byte as
//! Kafka's `Checkpoint.java` and `OffsetSync.java` write them (Kafka protocol types:
//! big-endian integers; STRING = INT16 length + UTF-8 bytes).
//!
//! - Checkpoint (topic `<source-alias>.checkpoints.internal` on the target):
//!   key `{group: STRING, topic: STRING, partition: INT32}`, value
//!   `{version: INT16 = 0}{upstreamOffset: INT64, offset: INT64, metadata: STRING}`.
//!   The key's topic is the *target* (renamed) topic; `upstreamOffset` is the group's
//!   committed offset on the source, `offset` the matching offset on the target.
//! - OffsetSync (topic `mm2-offset-syncs.<target-alias>.internal` on the source):
//!   key `{topic: STRING, partition: INT32}` (the source topic), value
//!   `{upstreamOffset: INT64, offset: INT64}`, no version header.
//!
//! Decoding never panics: truncated, oversized or garbage input is a `DecodeError`.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    pub group: String,
    /// The target-cluster topic (already renamed by the replication policy).
    pub topic: String,
    pub partition: i32,
    pub upstream_offset: i64,
    pub downstream_offset: i64,
    pub metadata: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffsetSync {
    /// The source-cluster topic.
    pub topic: String,
    pub partition: i32,
    pub upstream_offset: i64,
    pub downstream_offset: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("{what}: record ends after {at} bytes, {need} more needed")]
    Truncated {
        what: &'static str,
        at: usize,
        need: usize,
    },
    #[error("{what}: {extra} unexpected bytes after the record")]
    TrailingBytes { what: &'static str, extra: usize },
    #[error("{what}: string length {len} is negative")]
    NegativeLength { what: &'static str, len: i16 },
    #[error("{what}: string is not UTF-8")]
    NotUtf8 { what: &'static str },
    #[error("checkpoint value: unsupported version {0} (MirrorMaker 2 writes 0)")]
    UnsupportedVersion(i16),
    #[error("{what}: the record has no {part}")]
    Missing {
        what: &'static str,
        part: &'static str,
    },
    /// MirrorMaker 2 never writes a negative offset: the record is not one of its own.
    #[error("{what}: {field} offset {value} is negative")]
    NegativeOffset {
        what: &'static str,
        field: &'static str,
        value: i64,
    },
}

fn non_negative(what: &'static str, field: &'static str, value: i64) -> Result<i64, DecodeError> {
    if value < 0 {
        Err(DecodeError::NegativeOffset { what, field, value })
    } else {
        Ok(value)
    }
}

/// The checkpoint value schema version MM2 writes.
pub const CHECKPOINT_VERSION: i16 = 0;

struct Reader<'a> {
    what: &'static str,
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(what: &'static str, buf: &'a [u8]) -> Self {
        Reader { what, buf, at: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let left = self.buf.len() - self.at;
        if left < n {
            return Err(DecodeError::Truncated {
                what: self.what,
                at: self.buf.len(),
                need: n - left,
            });
        }
        let s = &self.buf[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    fn i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.take(2)?.try_into().unwrap()))
    }

    fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.take(4)?.try_into().unwrap()))
    }

    fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.take(8)?.try_into().unwrap()))
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let len = self.i16()?;
        if len < 0 {
            return Err(DecodeError::NegativeLength {
                what: self.what,
                len,
            });
        }
        let bytes = self.take(len as usize)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::NotUtf8 { what: self.what })
    }

    fn end(self) -> Result<(), DecodeError> {
        match self.buf.len() - self.at {
            0 => Ok(()),
            extra => Err(DecodeError::TrailingBytes {
                what: self.what,
                extra,
            }),
        }
    }
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    // MM2's strings (group ids, topic names, metadata) are far below i16::MAX bytes;
    // Kafka caps topic names at 249 and group ids are validated by the topology.
    let len = i16::try_from(s.len()).expect("MM2 string longer than 32767 bytes");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

impl Checkpoint {
    pub fn decode(key: Option<&[u8]>, value: Option<&[u8]>) -> Result<Checkpoint, DecodeError> {
        let key = key.ok_or(DecodeError::Missing {
            what: "checkpoint",
            part: "key",
        })?;
        let value = value.ok_or(DecodeError::Missing {
            what: "checkpoint",
            part: "value",
        })?;
        let mut k = Reader::new("checkpoint key", key);
        let group = k.string()?;
        let topic = k.string()?;
        let partition = k.i32()?;
        k.end()?;
        let mut v = Reader::new("checkpoint value", value);
        let version = v.i16()?;
        if version != CHECKPOINT_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let upstream_offset = non_negative("checkpoint value", "upstream", v.i64()?)?;
        let downstream_offset = non_negative("checkpoint value", "downstream", v.i64()?)?;
        let metadata = v.string()?;
        v.end()?;
        Ok(Checkpoint {
            group,
            topic,
            partition,
            upstream_offset,
            downstream_offset,
            metadata,
        })
    }

    pub fn encode_key(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_string(&mut out, &self.group);
        put_string(&mut out, &self.topic);
        out.extend_from_slice(&self.partition.to_be_bytes());
        out
    }

    pub fn encode_value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&CHECKPOINT_VERSION.to_be_bytes());
        out.extend_from_slice(&self.upstream_offset.to_be_bytes());
        out.extend_from_slice(&self.downstream_offset.to_be_bytes());
        put_string(&mut out, &self.metadata);
        out
    }
}

impl OffsetSync {
    pub fn decode(key: Option<&[u8]>, value: Option<&[u8]>) -> Result<OffsetSync, DecodeError> {
        let key = key.ok_or(DecodeError::Missing {
            what: "offset sync",
            part: "key",
        })?;
        let value = value.ok_or(DecodeError::Missing {
            what: "offset sync",
            part: "value",
        })?;
        let mut k = Reader::new("offset sync key", key);
        let topic = k.string()?;
        let partition = k.i32()?;
        k.end()?;
        let mut v = Reader::new("offset sync value", value);
        let upstream_offset = non_negative("offset sync value", "upstream", v.i64()?)?;
        let downstream_offset = non_negative("offset sync value", "downstream", v.i64()?)?;
        v.end()?;
        Ok(OffsetSync {
            topic,
            partition,
            upstream_offset,
            downstream_offset,
        })
    }

    pub fn encode_key(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_string(&mut out, &self.topic);
        out.extend_from_slice(&self.partition.to_be_bytes());
        out
    }

    pub fn encode_value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.upstream_offset.to_be_bytes());
        out.extend_from_slice(&self.downstream_offset.to_be_bytes());
        out
    }
}

/// MM2's checkpoint topic on the target for a source alias.
pub fn checkpoints_topic(source_alias: &str) -> String {
    format!("{source_alias}.checkpoints.internal")
}

/// MM2's offset-syncs topic on the source for a target alias (the default location).
pub fn offset_syncs_topic(target_alias: &str) -> String {
    format!("mm2-offset-syncs.{target_alias}.internal")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bytes written by hand from the Java schemas, independent of `encode_*`.
    #[test]
    fn checkpoint_decodes_hand_built_bytes() {
        let key: Vec<u8> = [
            &[0x00, 0x07][..],
            b"billing",
            &[0x00, 0x0d],
            b"east.payments",
            &[0x00, 0x00, 0x00, 0x02],
        ]
        .concat();
        let value: Vec<u8> = [
            &[0x00, 0x00][..],               // version 0
            &[0, 0, 0, 0, 0, 0, 0x01, 0x2c], // upstream 300
            &[0, 0, 0, 0, 0, 0, 0x01, 0x0e], // downstream 270
            &[0x00, 0x00],                   // metadata ""
        ]
        .concat();
        let c = Checkpoint::decode(Some(&key), Some(&value)).unwrap();
        assert_eq!(
            c,
            Checkpoint {
                group: "billing".into(),
                topic: "east.payments".into(),
                partition: 2,
                upstream_offset: 300,
                downstream_offset: 270,
                metadata: String::new(),
            }
        );
        assert_eq!(c.encode_key(), key);
        assert_eq!(c.encode_value(), value);
    }

    #[test]
    fn offset_sync_decodes_hand_built_bytes() {
        let key: Vec<u8> = [&[0x00, 0x08][..], b"payments", &[0, 0, 0, 0x05]].concat();
        let value: Vec<u8> = [
            &[0, 0, 0, 0, 0, 0, 0x03, 0xe8][..],
            &[0, 0, 0, 0, 0, 0, 0x03, 0xe0],
        ]
        .concat();
        let s = OffsetSync::decode(Some(&key), Some(&value)).unwrap();
        assert_eq!(
            s,
            OffsetSync {
                topic: "payments".into(),
                partition: 5,
                upstream_offset: 1000,
                downstream_offset: 992
            }
        );
        assert_eq!(s.encode_key(), key);
        assert_eq!(s.encode_value(), value);
    }

    /// `key=HEX` and `value=HEX` of a `tests/fixtures/mm2/*.hex` file (`#` lines are
    /// comments).
    fn fixture(text: &str) -> (Vec<u8>, Vec<u8>) {
        let field = |name: &str| -> Vec<u8> {
            let hex = text
                .lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
                .unwrap_or_else(|| panic!("fixture has no `{name}=` line"));
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect()
        };
        (field("key"), field("value"))
    }

    /// A checkpoint the real MirrorMaker 2 (Kafka 4.1.1) wrote in tests/mm2_real.rs.
    #[test]
    fn decodes_a_real_checkpoint() {
        let (key, value) = fixture(include_str!("../../tests/fixtures/mm2/checkpoint.hex"));
        let c = Checkpoint::decode(Some(&key), Some(&value)).unwrap();
        assert_eq!(
            c,
            Checkpoint {
                group: "orders-app".into(),
                topic: "primary.orders".into(),
                partition: 0,
                // Committed 7 upstream; the newest offset sync at or before it was 0 -> 0,
                // so MM2 translates to one past that sync.
                upstream_offset: 7,
                downstream_offset: 1,
                metadata: String::new(),
            }
        );
        assert_eq!(c.encode_key(), key);
        assert_eq!(c.encode_value(), value);
    }

    /// An offset sync the real MirrorMaker 2 (Kafka 4.1.1) wrote in tests/mm2_real.rs.
    #[test]
    fn decodes_a_real_offset_sync() {
        let (key, value) = fixture(include_str!("../../tests/fixtures/mm2/offset-sync.hex"));
        let s = OffsetSync::decode(Some(&key), Some(&value)).unwrap();
        assert_eq!(
            s,
            OffsetSync {
                topic: "orders".into(),
                partition: 0,
                upstream_offset: 9,
                downstream_offset: 9,
            }
        );
        assert_eq!(s.encode_key(), key);
        assert_eq!(s.encode_value(), value);
    }

    #[test]
    fn hostile_bytes_are_errors() {
        assert_eq!(
            Checkpoint::decode(Some(&[0x00, 0x05, b'a']), Some(&[0; 18])),
            Err(DecodeError::Truncated {
                what: "checkpoint key",
                at: 3,
                need: 4
            })
        );
        assert!(matches!(
            Checkpoint::decode(Some(&[0xff, 0xff]), Some(&[])),
            Err(DecodeError::NegativeLength { len: -1, .. })
        ));
        let c = Checkpoint {
            group: "g".into(),
            topic: "t".into(),
            partition: 0,
            upstream_offset: 1,
            downstream_offset: 1,
            metadata: "m".into(),
        };
        let mut v = c.encode_value();
        v[1] = 1;
        assert_eq!(
            Checkpoint::decode(Some(&c.encode_key()), Some(&v)),
            Err(DecodeError::UnsupportedVersion(1))
        );
        let mut v = c.encode_value();
        v.push(0);
        assert!(matches!(
            Checkpoint::decode(Some(&c.encode_key()), Some(&v)),
            Err(DecodeError::TrailingBytes { extra: 1, .. })
        ));
        assert!(matches!(
            Checkpoint::decode(None, Some(&v)),
            Err(DecodeError::Missing { part: "key", .. })
        ));
        assert!(matches!(
            OffsetSync::decode(Some(&[0, 1, 0xff, 0, 0, 0, 0]), Some(&[0; 16])),
            Err(DecodeError::NotUtf8 { .. })
        ));
    }

    #[test]
    fn topic_names() {
        assert_eq!(checkpoints_topic("east"), "east.checkpoints.internal");
        assert_eq!(offset_syncs_topic("west"), "mm2-offset-syncs.west.internal");
    }

    proptest! {
        #[test]
        fn garbage_never_panics(key in proptest::collection::vec(any::<u8>(), 0..64), value in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Checkpoint::decode(Some(&key), Some(&value));
            let _ = OffsetSync::decode(Some(&key), Some(&value));
        }

        #[test]
        fn checkpoints_round_trip(group in "[a-z0-9._-]{1,40}", topic in "[a-z0-9._-]{1,60}", partition in 0i32..10_000, up in 0i64..i64::MAX, down in 0i64..i64::MAX, metadata in ".{0,20}") {
            let c = Checkpoint { group, topic, partition, upstream_offset: up, downstream_offset: down, metadata };
            prop_assert_eq!(Checkpoint::decode(Some(&c.encode_key()), Some(&c.encode_value())).unwrap(), c);
        }
    }
}
