//! The only code that calls librdkafka's C API (through `rdkafka-sys`), and
//! the only `unsafe` code of the crate. It hands out safe wrappers:
//!
//! * [`Client`]: an `rd_kafka_t`, created from plain key/value pairs,
//!   destroyed on drop. It is a *consumer* handle with a `group.id` that
//!   never subscribes: librdkafka 2.12 (issue confluentinc/librdkafka#5040,
//!   still open) dereferences the handle's consumer-group object when an
//!   admin ListConsumerGroupOffsets gets a top-level NOT_COORDINATOR /
//!   COORDINATOR_NOT_AVAILABLE, which is NULL on producer handles (SIGSEGV;
//!   reproduced with the mock cluster's injected OffsetFetch errors).
//! * [`Queue`]: a private result queue; every admin request of one call is
//!   submitted onto one queue and its results polled with a deadline.
//! * [`Event`]: one polled result, destroyed on drop; the `parse_*`
//!   methods in `calls.rs` copy everything out into owned Rust data before
//!   the event (which owns all the memory the result accessors return) goes.
//!
//! Ownership rules relied on (librdkafka 2.12, checked in rdkafka_admin.c):
//! request functions copy their inputs (options, topic lists, partition
//! lists, ConfigResources, ListConsumerGroupOffsets / AlterConsumerGroupOffsets
//! objects), so the caller destroys them right after the call; results
//! live exactly as long as their event.
//!
//! Enum-typed results from C are read as plain integers: bindgen made them
//! Rust enums, and a value outside the enum (a newer broker's error code,
//! a config source librdkafka 2.12 does not list) would be undefined
//! behaviour. The few such functions are re-declared below with integer types.

mod calls;

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr::{self, NonNull};
use std::time::Duration;

use rdkafka_sys as rd;

use super::error::RawError;

pub(crate) use calls::{RawGroupResult, RawListedOffset, Submit};

/// Re-declarations with integer types (see module docs).
mod int_abi {
    use super::{c_char, c_int, rd};
    extern "C" {
        pub fn rd_kafka_err2name(err: c_int) -> *const c_char;
        pub fn rd_kafka_err2str(err: c_int) -> *const c_char;
        pub fn rd_kafka_event_error(rkev: *mut rd::rd_kafka_event_t) -> c_int;
        pub fn rd_kafka_error_code(error: *const rd::rd_kafka_error_t) -> c_int;
        pub fn rd_kafka_metadata(
            rk: *mut rd::rd_kafka_t,
            all_topics: c_int,
            only_rkt: *mut rd::rd_kafka_topic_t,
            metadatap: *mut *const rd::rd_kafka_metadata,
            timeout_ms: c_int,
        ) -> c_int;
        pub fn rd_kafka_conf_set(
            conf: *mut rd::rd_kafka_conf_t,
            name: *const c_char,
            value: *const c_char,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> c_int;
        pub fn rd_kafka_ConfigResource_error(config: *const rd::rd_kafka_ConfigResource_t)
            -> c_int;
        pub fn rd_kafka_ConfigEntry_source(entry: *const rd::rd_kafka_ConfigEntry_t) -> c_int;
        pub fn rd_kafka_ConfigSource_name(source: c_int) -> *const c_char;
        pub fn rd_kafka_ConsumerGroupListing_state(
            grplist: *const rd::rd_kafka_ConsumerGroupListing_t,
        ) -> u32;
        pub fn rd_kafka_ConsumerGroupListing_type(
            grplist: *const rd::rd_kafka_ConsumerGroupListing_t,
        ) -> u32;
        pub fn rd_kafka_ConsumerGroupDescription_state(
            grpdesc: *const rd::rd_kafka_ConsumerGroupDescription_t,
        ) -> u32;
        pub fn rd_kafka_ConsumerGroupDescription_type(
            grpdesc: *const rd::rd_kafka_ConsumerGroupDescription_t,
        ) -> u32;
    }
}

const ERR_INVALID_ARG: i32 = -186;
const ERR_TIMED_OUT: i32 = -185;
const ERRSTR_LEN: usize = 512;

/// Copies a C string; NULL becomes `None`.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string alive for this call.
unsafe fn opt_string(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(CStr::from_ptr(p).to_string_lossy().into_owned())
    }
}

/// Like [`opt_string`], NULL becomes "".
///
/// # Safety
/// As for [`opt_string`].
unsafe fn string(p: *const c_char) -> String {
    opt_string(p).unwrap_or_default()
}

/// A `&[*const T]` view of a C array; empty for NULL.
///
/// # Safety
/// `p` is NULL or points to `cnt` valid pointers alive for `'a`.
unsafe fn c_array<'a, T>(p: *const *const T, cnt: usize) -> &'a [*const T] {
    if p.is_null() || cnt == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, cnt)
    }
}

/// Reads a C `rd_kafka_resp_err_t` field as an integer.
///
/// # Safety
/// `p` points to a live, initialised `rd_kafka_resp_err_t` (an `int` in C).
unsafe fn read_err(p: *const rd::rd_kafka_resp_err_t) -> i32 {
    p.cast::<c_int>().read()
}

/// `rd_kafka_error_t` -> [`RawError`]; NULL or NO_ERROR -> `None`.
///
/// # Safety
/// `e` is NULL or a live `rd_kafka_error_t`.
unsafe fn error_of(e: *const rd::rd_kafka_error_t) -> Option<RawError> {
    if e.is_null() {
        return None;
    }
    let code = int_abi::rd_kafka_error_code(e);
    if code == 0 {
        return None;
    }
    Some(RawError::new(code, string(rd::rd_kafka_error_string(e))))
}

fn cstring(s: &str) -> Result<CString, RawError> {
    CString::new(s)
        .map_err(|_| RawError::new(ERR_INVALID_ARG, format!("{s:?} contains a NUL byte")))
}

fn millis(d: Duration, max: u128) -> c_int {
    d.as_millis().clamp(1, max) as c_int
}

/// librdkafka's symbolic name for an error code, e.g. `NOT_COORDINATOR`.
pub(crate) fn err_name(code: i32) -> String {
    // SAFETY: rd_kafka_err2name accepts any int (unknown codes get a
    // generated name) and returns a static or thread-local string that we
    // copy at once.
    unsafe { string(int_abi::rd_kafka_err2name(code)) }
}

/// librdkafka's human description of an error code.
pub(crate) fn err_str(code: i32) -> String {
    // SAFETY: as for err_name.
    unsafe { string(int_abi::rd_kafka_err2str(code)) }
}

/// A property librdkafka refused, or a failed `rd_kafka_new`.
#[derive(Debug, Clone)]
pub(crate) struct ConfigFailure {
    pub property: Option<String>,
    pub message: String,
}

/// The newest connection failure librdkafka logged for one client (its `FAIL` lines:
/// a refused connection, a failed TLS handshake, a failed SASL login), so an error can
/// say why "Broker transport failure" happened without `-v`.
type LastFailure = std::sync::Mutex<Option<String>>;

/// Forwards librdkafka's log lines to the `log` crate (target `librdkafka`), and keeps
/// a client's newest `FAIL` line in its [`LastFailure`] (the handle's opaque).
unsafe extern "C" fn log_cb(
    rk: *const rd::rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
) {
    if level <= 4 && !rk.is_null() {
        // SAFETY: rk is the live handle this callback belongs to; its opaque is NULL
        // or the `LastFailure` its `Client` owns, which outlives the handle.
        let last = unsafe { rd::rd_kafka_opaque(rk) } as *const LastFailure;
        // SAFETY: librdkafka passes NUL-terminated strings valid for the call.
        if !last.is_null() && unsafe { string(fac) } == "FAIL" {
            let line = unsafe { string(buf) };
            // `[thrd:ssl://host:9093/bootstrap]: ssl://host:9093/bootstrap: …`: the
            // thread name repeats the broker.
            let line = match line
                .strip_prefix("[thrd:")
                .and_then(|r| r.split_once("]: "))
            {
                Some((_, rest)) => rest.to_string(),
                None => line,
            };
            // SAFETY: see above: the pointee is alive while the handle is.
            if let Ok(mut l) = unsafe { &*last }.lock() {
                *l = Some(line);
            }
        }
    }
    let level = match level {
        0..=3 => log::Level::Error,
        4 => log::Level::Warn,
        5 | 6 => log::Level::Info,
        _ => log::Level::Debug,
    };
    if log::log_enabled!(target: "librdkafka", level) {
        // SAFETY: librdkafka passes NUL-terminated strings valid for the call.
        let (fac, buf) = unsafe { (string(fac), string(buf)) };
        log::log!(target: "librdkafka", level, "{fac}: {buf}");
    }
}

/// Owns an `rd_kafka_conf_t` until `rd_kafka_new` takes it.
struct Conf(NonNull<rd::rd_kafka_conf_t>);

impl Drop for Conf {
    fn drop(&mut self) {
        // SAFETY: we still own the conf (it was not handed to rd_kafka_new).
        unsafe { rd::rd_kafka_conf_destroy(self.0.as_ptr()) }
    }
}

/// A librdkafka client handle.
pub(crate) struct Client {
    rk: NonNull<rd::rd_kafka_t>,
    /// The handle's opaque: dropped after the handle is destroyed (fields drop after
    /// `Drop::drop`), so the log callback never sees it dangling.
    last_failure: Box<LastFailure>,
}

// SAFETY: rd_kafka_t is thread-safe; every API used here may be called
// from any thread.
unsafe impl Send for Client {}
// SAFETY: as above.
unsafe impl Sync for Client {}

impl Client {
    /// Creates the handle from `(key, value, is_secret)` pairs, in order.
    pub fn new(config: &[(String, String, bool)]) -> Result<Client, ConfigFailure> {
        // SAFETY: rd_kafka_conf_new returns a fresh conf (never NULL).
        let conf =
            Conf(NonNull::new(unsafe { rd::rd_kafka_conf_new() }).expect("rd_kafka_conf_new"));
        for (key, value, _secret) in config {
            let fail = |message: String| ConfigFailure {
                property: Some(key.clone()),
                message,
            };
            let k =
                CString::new(key.as_str()).map_err(|_| fail("name contains a NUL byte".into()))?;
            let v = CString::new(value.as_str())
                .map_err(|_| fail("value contains a NUL byte".into()))?;
            let mut errstr = [0 as c_char; ERRSTR_LEN];
            // SAFETY: conf is live; k, v, errstr are valid for the call.
            let res = unsafe {
                int_abi::rd_kafka_conf_set(
                    conf.0.as_ptr(),
                    k.as_ptr(),
                    v.as_ptr(),
                    errstr.as_mut_ptr(),
                    ERRSTR_LEN,
                )
            };
            if res != 0 {
                // SAFETY: librdkafka NUL-terminates errstr on failure.
                return Err(fail(unsafe { string(errstr.as_ptr()) }));
            }
        }
        // SAFETY: conf is live; log_cb has the required signature and is
        // safe to call from any librdkafka thread.
        unsafe { rd::rd_kafka_conf_set_log_cb(conf.0.as_ptr(), Some(log_cb)) };
        let last_failure: Box<LastFailure> = Box::default();
        // SAFETY: conf is live; the pointer stays valid for the handle's whole life
        // (the Box moves into the Client, its heap address does not change).
        unsafe {
            rd::rd_kafka_conf_set_opaque(
                conf.0.as_ptr(),
                &*last_failure as *const LastFailure as *mut c_void,
            )
        };
        let mut errstr = [0 as c_char; ERRSTR_LEN];
        // SAFETY: on success rd_kafka_new takes ownership of conf, so we
        // forget our guard; on failure the conf is still ours to destroy.
        let rk = unsafe {
            rd::rd_kafka_new(
                rd::rd_kafka_type_t::RD_KAFKA_CONSUMER,
                conf.0.as_ptr(),
                errstr.as_mut_ptr(),
                ERRSTR_LEN,
            )
        };
        match NonNull::new(rk) {
            Some(rk) => {
                std::mem::forget(conf);
                Ok(Client { rk, last_failure })
            }
            None => Err(ConfigFailure {
                property: None,
                // SAFETY: errstr is NUL-terminated by rd_kafka_new.
                message: unsafe { string(errstr.as_ptr()) },
            }),
        }
    }

    /// A Metadata request for all topics (`all_topics`) or none.
    pub fn metadata(&self, all_topics: bool, timeout: Duration) -> Result<Metadata, RawError> {
        let mut md: *const rd::rd_kafka_metadata = ptr::null();
        // SAFETY: rk is live; md is written on success only.
        let err = unsafe {
            int_abi::rd_kafka_metadata(
                self.rk.as_ptr(),
                c_int::from(all_topics),
                ptr::null_mut(),
                &mut md,
                millis(timeout, i32::MAX as u128),
            )
        };
        if err != 0 || md.is_null() {
            let code = if err != 0 { err } else { ERR_TIMED_OUT };
            return Err(RawError::new(
                code,
                format!(
                    "metadata request failed: {}{}",
                    err_str(code),
                    self.last_failure()
                        .map(|f| format!(" (librdkafka: {f})"))
                        .unwrap_or_default()
                ),
            ));
        }
        // SAFETY: md is a valid metadata object until destroyed below; the
        // arrays have the advertised lengths.
        unsafe {
            let m = &*md;
            let brokers = std::slice::from_raw_parts(m.brokers, m.broker_cnt.max(0) as usize)
                .iter()
                .map(|b| MetaBroker {
                    id: b.id,
                    host: string(b.host),
                    port: b.port,
                })
                .collect();
            let topics = if m.topic_cnt > 0 {
                std::slice::from_raw_parts(m.topics, m.topic_cnt as usize)
                    .iter()
                    .map(|t| MetaTopic {
                        name: string(t.topic),
                        error: read_err(ptr::addr_of!(t.err)),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let out = Metadata {
                brokers,
                topics,
                orig_broker_id: m.orig_broker_id,
                orig_broker_name: string(m.orig_broker_name),
            };
            rd::rd_kafka_metadata_destroy(md);
            Ok(out)
        }
    }

    /// A new private queue for admin results.
    pub fn queue(&self) -> Queue<'_> {
        self.drain_consumer_queue();
        // SAFETY: rk is live; rd_kafka_queue_new never returns NULL.
        let q = unsafe { rd::rd_kafka_queue_new(self.rk.as_ptr()) };
        Queue {
            q: NonNull::new(q).expect("rd_kafka_queue_new"),
            client: self,
        }
    }
}

impl Client {
    /// The never-subscribed consumer group may still queue errors (e.g. a
    /// failed FindCoordinator for its group id); drop them so they do not
    /// pile up. They are logged at debug level.
    fn drain_consumer_queue(&self) {
        loop {
            // SAFETY: rk is live; a returned message is ours to destroy.
            let m = unsafe { rd::rd_kafka_consumer_poll(self.rk.as_ptr(), 0) };
            if m.is_null() {
                return;
            }
            // SAFETY: m is a live message until destroyed below.
            unsafe {
                let err = read_err(ptr::addr_of!((*m).err));
                if err != 0 {
                    log::debug!(target: "librdkafka", "admin handle consumer event: {}", err_name(err));
                }
                rd::rd_kafka_message_destroy(m);
            }
        }
    }
}

impl Client {
    /// The newest connection failure librdkafka logged for this client, if any.
    pub fn last_failure(&self) -> Option<String> {
        self.last_failure.lock().ok().and_then(|l| l.clone())
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: every Queue / Event borrows the client, so none is alive;
        // the handle is destroyed exactly once. The group was never joined,
        // so there is nothing for a consumer close to do.
        unsafe {
            rd::rd_kafka_destroy_flags(self.rk.as_ptr(), rd::RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct MetaBroker {
    pub id: i32,
    pub host: String,
    pub port: i32,
}

#[derive(Debug, Clone)]
pub(crate) struct MetaTopic {
    pub name: String,
    pub error: i32,
}

#[derive(Debug, Clone)]
pub(crate) struct Metadata {
    pub brokers: Vec<MetaBroker>,
    pub topics: Vec<MetaTopic>,
    /// Id of the broker that answered (-1 for a bootstrap connection).
    pub orig_broker_id: i32,
    /// `host:port/id` (or `/bootstrap`) of the broker that answered.
    pub orig_broker_name: String,
}

/// A private result queue. Requests are submitted onto it through
/// [`Submit`]; results come back as [`Event`]s.
pub(crate) struct Queue<'c> {
    q: NonNull<rd::rd_kafka_queue_t>,
    client: &'c Client,
}

impl<'c> Queue<'c> {
    /// Waits up to `timeout` for the next result.
    pub fn poll(&self, timeout: Duration) -> Option<Event<'c>> {
        // SAFETY: q is live; the returned event (if any) is ours to destroy.
        let ev =
            unsafe { rd::rd_kafka_queue_poll(self.q.as_ptr(), millis(timeout, i32::MAX as u128)) };
        NonNull::new(ev).map(|ev| Event {
            ev,
            _client: std::marker::PhantomData,
        })
    }
}

impl Drop for Queue<'_> {
    fn drop(&mut self) {
        // SAFETY: destroys our reference; results that arrive later are
        // dropped by librdkafka (the queue is disabled, not freed under it).
        unsafe { rd::rd_kafka_queue_destroy(self.q.as_ptr()) }
    }
}

/// One polled result event, destroyed on drop.
pub(crate) struct Event<'c> {
    ev: NonNull<rd::rd_kafka_event_t>,
    _client: std::marker::PhantomData<&'c Client>,
}

impl Event<'_> {
    /// The `opaque` given to the request that produced this event.
    pub fn opaque(&self) -> usize {
        // SAFETY: ev is live. The opaque is an integer we stored, never a
        // real pointer, so it is not dereferenced.
        unsafe { rd::rd_kafka_event_opaque(self.ev.as_ptr()) as usize }
    }

    /// The request-level error, if any.
    pub fn error(&self) -> Option<RawError> {
        // SAFETY: ev is live; the error string is copied.
        unsafe {
            let code = int_abi::rd_kafka_event_error(self.ev.as_ptr());
            if code == 0 {
                None
            } else {
                Some(RawError::new(
                    code,
                    string(rd::rd_kafka_event_error_string(self.ev.as_ptr())),
                ))
            }
        }
    }

    fn ptr(&self) -> *mut rd::rd_kafka_event_t {
        self.ev.as_ptr()
    }
}

impl Drop for Event<'_> {
    fn drop(&mut self) {
        // SAFETY: the event is ours and destroyed once; nothing borrowed
        // from it outlives `self` (everything was copied out).
        unsafe { rd::rd_kafka_event_destroy(self.ev.as_ptr()) }
    }
}

/// `rd_kafka_AdminOptions_t` with request timeout, target broker and opaque.
struct AdminOptions(NonNull<rd::rd_kafka_AdminOptions_t>);

impl AdminOptions {
    fn new(
        client: &Client,
        op: rd::rd_kafka_admin_op_t,
        req: &Submit,
    ) -> Result<AdminOptions, RawError> {
        // SAFETY: rk is live; op is a valid enum value.
        let o = unsafe { rd::rd_kafka_AdminOptions_new(client.rk.as_ptr(), op) };
        let o = AdminOptions(
            NonNull::new(o).ok_or_else(|| RawError::new(ERR_INVALID_ARG, "bad admin op"))?,
        );
        let mut errstr = [0 as c_char; ERRSTR_LEN];
        // SAFETY: options live; errstr valid; the opaque is an integer tag.
        unsafe {
            let err = rd::rd_kafka_AdminOptions_set_request_timeout(
                o.0.as_ptr(),
                millis(req.timeout, 3_600_000),
                errstr.as_mut_ptr(),
                ERRSTR_LEN,
            );
            if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                return Err(RawError::new(ERR_INVALID_ARG, string(errstr.as_ptr())));
            }
            if let Some(broker) = req.broker_id {
                let err = rd::rd_kafka_AdminOptions_set_broker(
                    o.0.as_ptr(),
                    broker,
                    errstr.as_mut_ptr(),
                    ERRSTR_LEN,
                );
                if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                    return Err(RawError::new(ERR_INVALID_ARG, string(errstr.as_ptr())));
                }
            }
            rd::rd_kafka_AdminOptions_set_opaque(o.0.as_ptr(), req.opaque as *mut c_void);
        }
        Ok(o)
    }
}

impl Drop for AdminOptions {
    fn drop(&mut self) {
        // SAFETY: request functions copy the options, so destroying after
        // the call is correct.
        unsafe { rd::rd_kafka_AdminOptions_destroy(self.0.as_ptr()) }
    }
}

/// An owned `rd_kafka_topic_partition_list_t` used as request input.
struct PartitionList(NonNull<rd::rd_kafka_topic_partition_list_t>);

impl PartitionList {
    fn new<'a>(
        items: impl ExactSizeIterator<Item = (&'a str, i32, i64)>,
    ) -> Result<Self, RawError> {
        // SAFETY: returns a fresh list (never NULL).
        let l = unsafe { rd::rd_kafka_topic_partition_list_new(items.len().max(1) as c_int) };
        let list = PartitionList(NonNull::new(l).expect("rd_kafka_topic_partition_list_new"));
        for (topic, partition, offset) in items {
            let t = cstring(topic)?;
            // SAFETY: list live; t valid for the call (librdkafka copies it);
            // the returned element pointer is valid until the next add.
            unsafe {
                let e =
                    rd::rd_kafka_topic_partition_list_add(list.0.as_ptr(), t.as_ptr(), partition);
                (*e).offset = offset;
            }
        }
        Ok(list)
    }
}

impl Drop for PartitionList {
    fn drop(&mut self) {
        // SAFETY: the list is ours; requests copied it.
        unsafe { rd::rd_kafka_topic_partition_list_destroy(self.0.as_ptr()) }
    }
}
