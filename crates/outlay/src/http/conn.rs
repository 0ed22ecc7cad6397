//! Connections: the accept loop and what one connection may take. At most `max_connections`
//! are open at once, and at most `max_connections_per_address` from one address
//! (`per_address`); one more is answered 503 and closed, so no client can exhaust the file
//! descriptors or keep others out. Each connection is timed by phase: idle between requests (`idle_timeout`),
//! receiving a request's headers from its first byte (`header_timeout`), and a response the
//! client does not read (`idle_timeout` again); bodies and handling are timed inside the
//! request (`edge`, `extract::Body`). On shutdown it stops accepting, lets the requests under
//! way finish within the grace period, then drains the audit queue.

use super::edge::SECURITY_HEADERS;
use super::App;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// Connections being turned away at once; past this they are closed without an answer.
const REFUSING_AT_ONCE: usize = 64;

/// Serves `app` on `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let limits = Arc::clone(&app.limits);
    let router = super::router(app.clone());
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = super::per_address::PerAddress::new(limits.max_connections_per_address);
    let refusing = Arc::new(Semaphore::new(REFUSING_AT_ONCE));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    // Header and idle timing is done by `Watched`, which tells the two apart (hyper's own
    // header timeout also runs while a kept-alive connection is idle).
    http.header_read_timeout(None).max_buf_size(64 * 1024);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: neither ends
                    // the server. Pause so a persistent error does not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // A trusted proxy speaks for many clients: only the server-wide cap applies to it.
        let address_slot = match limits.trusted_proxies.contains(peer.ip()) {
            true => None,
            false => match per_address.take(peer.ip()) {
                Some(s) => Some(s),
                None => {
                    refuse(stream, &refusing);
                    continue;
                }
            },
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refuse(stream, &refusing);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let phase = Arc::new(Phase::new());
        let io = TokioIo::new(Watched::new(
            stream,
            Arc::clone(&phase),
            limits.header_timeout,
            limits.idle_timeout,
        ));
        let service = ConnService {
            router: router.clone(),
            phase,
            peer,
        };
        let conn = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(slot);
            drop(address_slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still under way at the end of the shutdown grace period");
    }
    app.audit.close().await;
    Ok(())
}

/// The raw answer to a connection over the cap.
fn busy_response() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let body = r#"{"error":{"code":"busy","message":"too many connections; try again shortly"}}"#;
        let mut head = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n",
            body.len()
        );
        for (name, value) in SECURITY_HEADERS {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(body);
        head.into_bytes()
    })
}

/// Answers 503 and closes, without holding a connection slot. Reads what the client sent
/// before closing, so the close does not reset the connection before the answer is read;
/// at most a second, and at most `REFUSING_AT_ONCE` at once.
fn refuse(mut stream: TcpStream, refusing: &Arc<Semaphore>) {
    let Ok(permit) = Arc::clone(refusing).try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            stream.write_all(busy_response()).await?;
            stream.shutdown().await?;
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
            Ok::<(), io::Error>(())
        })
        .await;
        drop(permit);
    });
}

/// Where a connection is between and within requests, and since when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// No request under way.
    Idle,
    /// A request's first bytes arrived; its headers are not complete.
    Head,
    /// A request is being handled (its own timeouts apply).
    Busy,
}

struct Phase(Mutex<(Stage, Instant)>);

impl Phase {
    fn new() -> Phase {
        Phase(Mutex::new((Stage::Idle, Instant::now())))
    }

    fn get(&self) -> (Stage, Instant) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, stage: Stage) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = (stage, Instant::now());
    }
}

/// The per-connection service: marks the phase and hands the request to the router with the
/// client's address.
#[derive(Clone)]
struct ConnService {
    router: axum::Router,
    phase: Arc<Phase>,
    peer: SocketAddr,
}

impl hyper::service::Service<hyper::Request<Incoming>> for ConnService {
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, mut req: hyper::Request<Incoming>) -> Self::Future {
        self.phase.set(Stage::Busy);
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let router = self.router.clone();
        let phase = Arc::clone(&self.phase);
        Box::pin(async move {
            let resp = router.oneshot(req.map(axum::body::Body::new)).await;
            // From here the connection waits for the client: to read the answer, then to send
            // the next request.
            phase.set(Stage::Idle);
            resp
        })
    }
}

/// A TCP stream that fails with `TimedOut` when the connection stays idle, takes too long to
/// send a request's headers, or does not read what is written to it.
struct Watched {
    io: TcpStream,
    phase: Arc<Phase>,
    header: Duration,
    idle: Duration,
    read_timer: Pin<Box<Sleep>>,
    read_deadline: Option<Instant>,
    write_timer: Pin<Box<Sleep>>,
    write_stalled: bool,
}

impl Watched {
    fn new(io: TcpStream, phase: Arc<Phase>, header: Duration, idle: Duration) -> Watched {
        let now = Instant::now();
        Watched {
            io,
            phase,
            header,
            idle,
            read_timer: Box::pin(tokio::time::sleep_until(now + idle)),
            read_deadline: None,
            write_timer: Box::pin(tokio::time::sleep_until(now + idle)),
            write_stalled: false,
        }
    }

    /// Arms the write timer on the first write that cannot proceed; fails once it fires.
    fn stalled<T>(&mut self, cx: &mut Context<'_>, r: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if r.is_ready() {
            self.write_stalled = false;
            return r;
        }
        if !self.write_stalled {
            self.write_stalled = true;
            self.write_timer.as_mut().reset(Instant::now() + self.idle);
        }
        if self.write_timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(timed_out("the client does not read its answer")));
        }
        Poll::Pending
    }
}

fn timed_out(what: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, what)
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let (stage, since) = this.phase.get();
        let deadline = match stage {
            Stage::Idle => Some(since + this.idle),
            Stage::Head => Some(since + this.header),
            Stage::Busy => None,
        };
        if let Some(deadline) = deadline {
            if this.read_deadline != Some(deadline) {
                this.read_timer.as_mut().reset(deadline);
                this.read_deadline = Some(deadline);
            }
            if this.read_timer.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(timed_out(match stage {
                    Stage::Head => "the request headers did not arrive in time",
                    _ => "the connection was idle too long",
                })));
            }
        }
        let before = buf.filled().len();
        let r = Pin::new(&mut this.io).poll_read(cx, buf);
        if stage == Stage::Idle && matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.phase.set(Stage::Head);
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write(cx, buf);
        this.stalled(cx, r)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.stalled(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_flush(cx);
        this.stalled(cx, r)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
