//! What a page loads from the server: "Chargement…" until the answer, then the content or
//! why it failed. One state machine for every page, with the loaded value behind `dyn Any`:
//! a `LocalResource` and a `<Suspense>` per page made the compiler build the framework's
//! async machinery once per loaded type, the largest share of the wasm (issue 6, twiggy).

use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use super::LoadFailed;

/// The latest answer; `None` until the first one arrives.
type Answer = Option<Result<Rc<dyn Any>, ErrorResponse>>;
/// Shows a loaded value (its type erased).
type Show = Box<dyn Fn(&dyn Any) -> AnyView>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Rc<dyn Any>, ErrorResponse>>>>>;

/// A value being loaded. Copy, like a signal.
pub struct Load<T> {
    answer: RwSignal<Answer, LocalStorage>,
    again: Trigger,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Load<T> {}

/// Starts loading with `fetch`, and loads again whenever a signal that `fetch` reads
/// (before its first `.await`) changes, or on [`Load::reload`]. A reload keeps what is
/// shown until the new answer; an answer overtaken by a newer request is dropped.
pub fn load<T: 'static, F>(fetch: impl Fn() -> F + 'static) -> Load<T>
where
    F: Future<Output = Result<T, ErrorResponse>> + 'static,
{
    let (answer, again) = start(Box::new(move || {
        let future = fetch();
        Box::pin(async move { future.await.map(|value| Rc::new(value) as Rc<dyn Any>) })
    }));
    Load {
        answer,
        again,
        value: PhantomData,
    }
}

/// The part that does not depend on the loaded type, compiled once.
fn start(fetch: Fetch) -> (RwSignal<Answer, LocalStorage>, Trigger) {
    let answer = RwSignal::new_local(None);
    let again = Trigger::new();
    let latest = Rc::new(Cell::new(0_u64));
    Effect::new(move |_| {
        again.track();
        let request = fetch();
        let this = latest.get() + 1;
        latest.set(this);
        let latest = latest.clone();
        leptos::task::spawn_local(async move {
            let result = request.await;
            if latest.get() == this {
                answer.set(Some(result));
            }
        });
    });
    (answer, again)
}

impl<T: 'static> Load<T> {
    /// Loads again (after a change made on the page).
    pub fn reload(&self) {
        self.again.notify();
    }

    /// Reads the latest answer, tracked: `None` while the first request runs.
    pub fn with<R>(&self, read: impl FnOnce(Option<Result<&T, &ErrorResponse>>) -> R) -> R {
        // The value is always a `T`: only `load::<T>` makes a `Load<T>`.
        self.answer.with(|answer| {
            read(answer.as_ref().and_then(|result| match result {
                Ok(value) => value.downcast_ref::<T>().map(Ok),
                Err(error) => Some(Err(error)),
            }))
        })
    }

    /// "Chargement…" until the answer, then `show` of the value, or the server's refusal
    /// with the way in when it is about the session.
    pub fn view<V: IntoView + 'static>(self, show: impl Fn(&T) -> V + 'static) -> AnyView {
        self.view_waiting("Chargement…", show)
    }

    /// [`Load::view`], saying `waiting` (with the status role) until the answer.
    pub fn view_waiting<V: IntoView + 'static>(
        self,
        waiting: &'static str,
        show: impl Fn(&T) -> V + 'static,
    ) -> AnyView {
        shown(
            self.answer,
            waiting,
            Box::new(move |value| match value.downcast_ref::<T>() {
                Some(value) => show(value).into_any(),
                None => ().into_any(),
            }),
        )
    }
}

fn shown(answer: RwSignal<Answer, LocalStorage>, waiting: &'static str, show: Show) -> AnyView {
    let show = StoredValue::new_local(show);
    (move || match answer.get() {
        None => view! { <p role="status">{waiting}</p> }.into_any(),
        Some(Ok(value)) => show.with_value(|show| show(&*value)),
        Some(Err(error)) => view! { <LoadFailed error/> }.into_any(),
    })
    .into_any()
}
