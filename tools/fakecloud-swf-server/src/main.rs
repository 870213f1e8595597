//! fakecloud's SWF service on 127.0.0.1:<port>, with fakecloud's own request dispatch.
//! Usage: fakecloud-swf-server <port>
use std::net::SocketAddr;
use std::sync::Arc;

use axum::{Extension, Router};
use fakecloud_core::dispatch::{dispatch, DispatchConfig};
use fakecloud_core::multi_account::MultiAccountState;
use fakecloud_core::registry::ServiceRegistry;
use fakecloud_swf::SwfService;
use parking_lot::RwLock;

#[tokio::main]
async fn main() {
    let port: u16 = match std::env::args().nth(1).map(|p| p.parse()) {
        Some(Ok(port)) => port,
        _ => {
            eprintln!("usage: fakecloud-swf-server <port>");
            std::process::exit(2);
        }
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let state = Arc::new(RwLock::new(MultiAccountState::new("000000000000", "us-east-1", &endpoint)));
    let mut registry = ServiceRegistry::new();
    registry.register(Arc::new(SwfService::new(state)));
    let app = Router::new()
        .fallback(dispatch)
        .layer(Extension(Arc::new(registry)))
        .layer(Extension(Arc::new(DispatchConfig::new("us-east-1", "000000000000"))));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap_or_else(|e| {
        eprintln!("fakecloud-swf-server: cannot listen on 127.0.0.1:{port}: {e}");
        std::process::exit(2);
    });
    println!("fakecloud-swf-server listening on {endpoint}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; })
        .await
        .expect("server");
}
