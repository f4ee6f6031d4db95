//! Paginators: a `Stream` of pages that follows an operation's output token.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::SdkError;

/// Calls an operation page after page: `call(input)`, then, while the output's token (read with
/// `next_token`) is present, not empty and not seen before, `set_token(&mut input, token)` and call
/// again. A token seen before ends the stream after its page (a service bug would otherwise loop
/// for ever); an error is yielded and ends it too. Nothing is called before the stream is polled.
///
/// ```
/// # use aws_codegen_runtime::{next_page, paginate, SdkError, UnhandledError};
/// #[derive(Clone)]
/// struct In { token: Option<String> }
/// struct Out { items: Vec<u32>, next: Option<String> }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let pages = paginate(
///     In { token: None },
///     |input: In| async move {
///         Ok::<_, SdkError<UnhandledError>>(match input.token.as_deref() {
///             None => Out { items: vec![1, 2], next: Some("p2".into()) },
///             _ => Out { items: vec![3], next: None },
///         })
///     },
///     |out: &Out| out.next.as_deref(),
///     |input: &mut In, token| input.token = Some(token),
/// );
/// let mut pages = std::pin::pin!(pages);
/// let mut items = Vec::new();
/// while let Some(page) = next_page(&mut pages).await {
///     items.extend(page.unwrap().items);
/// }
/// assert_eq!(items, [1, 2, 3]);
/// # });
/// ```
pub fn paginate<I, O, E, F, Fut>(
    input: I,
    call: F,
    next_token: fn(&O) -> Option<&str>,
    set_token: fn(&mut I, String),
) -> impl Stream<Item = Result<O, SdkError<E>>>
where
    I: Clone + Send + 'static,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    Paginator { input, call, next_token, set_token, pending: None, seen: HashSet::new(), done: false }
}

/// The next item of a stream, for callers without `futures-util`'s `StreamExt`:
/// `while let Some(page) = next_page(&mut pages).await { ... }` (pin the stream first, e.g. with
/// `std::pin::pin!`).
pub async fn next_page<S: Stream + Unpin + ?Sized>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

struct Paginator<I, O, F, Fut> {
    input: I,
    call: F,
    next_token: fn(&O) -> Option<&str>,
    set_token: fn(&mut I, String),
    pending: Option<Pin<Box<Fut>>>,
    seen: HashSet<String>,
    done: bool,
}

// The call's future is boxed; nothing else is ever pinned in place.
impl<I, O, F, Fut> Unpin for Paginator<I, O, F, Fut> {}

impl<I, O, E, F, Fut> Stream for Paginator<I, O, F, Fut>
where
    I: Clone,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let pending = this.pending.get_or_insert_with(|| Box::pin((this.call)(this.input.clone())));
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.pending = None;
        match &result {
            Ok(output) => match (this.next_token)(output) {
                Some(token) if !token.is_empty() && this.seen.insert(token.to_owned()) => {
                    (this.set_token)(&mut this.input, token.to_owned());
                }
                _ => this.done = true,
            },
            Err(_) => this.done = true,
        }
        Poll::Ready(Some(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UnhandledError;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Clone, Debug, Default)]
    struct In {
        token: Option<String>,
    }

    struct Out {
        page: u32,
        next: Option<String>,
    }

    fn run<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            let mut items = Vec::new();
            while let Some(item) = next_page(&mut stream).await {
                items.push(item);
            }
            items
        })
    }

    /// A fake operation serving `pages` (page number, next token) in order, recording each input token.
    fn fake(
        pages: Vec<(u32, Option<&'static str>)>,
        calls: Rc<RefCell<Vec<Option<String>>>>,
    ) -> impl FnMut(In) -> std::future::Ready<Result<Out, SdkError<UnhandledError>>> {
        let mut pages = pages.into_iter();
        move |input: In| {
            calls.borrow_mut().push(input.token.clone());
            let (page, next) = pages.next().expect("called after the last page");
            std::future::ready(Ok(Out { page, next: next.map(str::to_owned) }))
        }
    }

    fn next_token(o: &Out) -> Option<&str> {
        o.next.as_deref()
    }

    fn set_token(i: &mut In, t: String) {
        i.token = Some(t);
    }

    #[test]
    fn follows_tokens_until_absent() {
        let calls = Rc::default();
        let pages = vec![(1, Some("a")), (2, Some("b")), (3, None)];
        let stream = paginate(In::default(), fake(pages, Rc::clone(&calls)), next_token, set_token);
        let got: Vec<u32> = run(Box::pin(stream)).into_iter().map(|r| r.unwrap().page).collect();
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(*calls.borrow(), [None, Some("a".to_owned()), Some("b".to_owned())]);
    }

    #[test]
    fn stops_on_empty_token() {
        let calls = Rc::default();
        let pages = vec![(1, Some("a")), (2, Some("")), (3, None)];
        let stream = paginate(In::default(), fake(pages, Rc::clone(&calls)), next_token, set_token);
        assert_eq!(run(Box::pin(stream)).len(), 2);
        assert_eq!(calls.borrow().len(), 2);
    }

    #[test]
    fn stops_on_repeated_token() {
        let calls = Rc::default();
        // The third page hands back a token already used: its page is yielded, then the stream ends.
        let pages = vec![(1, Some("a")), (2, Some("b")), (3, Some("a")), (4, None)];
        let stream = paginate(In::default(), fake(pages, Rc::clone(&calls)), next_token, set_token);
        let got: Vec<u32> = run(Box::pin(stream)).into_iter().map(|r| r.unwrap().page).collect();
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(calls.borrow().len(), 3);
    }

    #[test]
    fn stops_after_an_error() {
        let mut n = 0;
        let call = move |_: In| {
            n += 1;
            std::future::ready(if n == 1 {
                Ok(Out { page: 1, next: Some("a".into()) })
            } else {
                Err(SdkError::<UnhandledError>::Validation(crate::ValidationError::required("x")))
            })
        };
        let items = run(Box::pin(paginate(In::default(), call, next_token, set_token)));
        assert_eq!(items.len(), 2);
        assert!(items[0].is_ok() && items[1].is_err());
    }
}
