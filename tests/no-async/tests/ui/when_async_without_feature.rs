use lockwise::guarded;

#[guarded]
#[derive(Default)]
pub struct Jobs {
    queue: Vec<u32>,
}

#[guarded]
pub struct Server {
    #[lock(mutex)]
    queue: Vec<u32>,
}

async fn consume(jobs: &Jobs, server: &Server) -> Option<u32> {
    let first = jobs.write_when_async(|j| !j.queue.is_empty()).await.queue.pop();
    let second = server.queue_mut_when_async(|q| !q.is_empty()).await.pop();
    first.or(second)
}

fn main() {
    // Without the feature, the rest of the crate compiles: the struct and its other methods.
    let jobs = Jobs::default();
    jobs.write().queue.push(1);
    let server = Server::new(ServerState { queue: vec![] });
    let _ = consume(&jobs, &server);
}
