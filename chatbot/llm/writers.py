"""Reply writers: who words a grounded reply, behind one :class:`ReplyWriter` protocol.

- :class:`TemplateWriter` (``template``): writes nothing, the caller keeps the template reply;
- :class:`OpenAIWriter` (``openai:<model>``): any OpenAI-compatible chat-completions server through the
  official ``openai`` client — OpenAI itself, or a local Ollama (``http://localhost:11434/v1``), vLLM
  (``http://localhost:8000/v1``) or llama.cpp server (``http://localhost:8080/v1``);
- :class:`TransformersWriter` (``transformers:<model>``): any causal LM, by Hugging Face hub id or local folder,
  run in this process.

``stream(messages, timeout=...)`` yields the text as it comes, in pieces; ``timeout`` bounds every wait (the
connection, and each wait for the next piece), the caller bounds the whole reply. Every failure (HTTP error,
connection refused, timeout, malformed answer, model that cannot be loaded) is a :class:`WriterError`, whose
``hint`` says how to fix it. openai, torch and transformers are imported on first use only.

>>> w = make_writer("template")
>>> w.name, list(w.stream([{"role": "user", "content": "你好"}], timeout=1.0))
('template', [])
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from chatbot.settings import REPLY_WRITERS
from intent.errors import ConfigError, ShopGuideError
from intent.hub import from_folder_cache_or_hub

__all__ = ["ReplyWriter", "WriterError", "TemplateWriter", "OpenAIWriter", "TransformersWriter", "make_writer",
           "WRITER_KINDS", "ENV_BASE_URL", "ENV_API_KEY", "PLACEHOLDER_API_KEY"]

log = logging.getLogger(__name__)

WRITER_KINDS = REPLY_WRITERS
"""The writers ``make_writer`` knows: the values of ``Settings.reply_writer``."""
ENV_BASE_URL = "OPENAI_BASE_URL"
"""The OpenAI ecosystem's variable for the server URL, read when no URL is given."""
ENV_API_KEY = "OPENAI_API_KEY"
"""The OpenAI ecosystem's variable for the API key, read when no key is given."""
PLACEHOLDER_API_KEY = "not-needed"
"""Sent when no key is set: local servers (Ollama, vLLM, llama.cpp) accept any key."""

Messages = list[dict[str, str]]


class WriterError(ShopGuideError):
    """A writer could not write (server unreachable or failing, timeout, malformed answer, model not loadable)."""


@runtime_checkable
class ReplyWriter(Protocol):
    """What the grounded replier needs from a writer."""

    name: str

    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]:
        """Yield the reply to chat-completions ``messages`` in pieces; raise :class:`WriterError` on failure."""
        ...


class TemplateWriter:
    """The writer that writes nothing: the caller uses the template text.

    >>> list(TemplateWriter().stream([], timeout=0.1))
    []
    """

    name = "template"

    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]:
        return iter(())


# --- OpenAI-compatible servers ----------------------------------------------------------------------------
class OpenAIWriter:
    """Streamed chat completions from an OpenAI-compatible server.

    ``base_url`` falls back to ``$OPENAI_BASE_URL`` and then to OpenAI's own ``https://api.openai.com/v1``;
    ``api_key`` falls back to ``$OPENAI_API_KEY`` and then to the placeholder ``"not-needed"`` (enough for a
    local server). The client is made on first use, once per writer, and shared by the threads that call
    :meth:`stream`; it never retries (``max_retries=0``): a failed reply falls back to the template at once.

        OpenAIWriter("http://localhost:11434/v1", "qwen2.5:3b").stream(messages, timeout=8.0)  # needs a server
    """

    def __init__(self, base_url: str | None, model: str, api_key: str | None = None, *,
                 temperature: float = 0.3, max_tokens: int = 300) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.name = f"openai:{model}"
        self._lock = threading.Lock()
        self._client: Any = None

    @property
    def server_url(self) -> str:
        """The URL requests go to (argument, else ``$OPENAI_BASE_URL``, else OpenAI's)."""
        return self.base_url or os.environ.get(ENV_BASE_URL) or "https://api.openai.com/v1"

    def client(self) -> Any:
        """The ``openai.OpenAI`` client of this writer (made once, thread-safe)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    try:
                        from openai import OpenAI  # lazy: ~0.4 s to import
                    except ImportError as exc:
                        raise WriterError("the openai writer needs the 'openai' package",
                                          hint="pip install openai") from exc

                    key = self.api_key or os.environ.get(ENV_API_KEY) or PLACEHOLDER_API_KEY
                    try:
                        self._client = OpenAI(base_url=self.server_url, api_key=key, max_retries=0, timeout=30.0)
                    except Exception as exc:  # openai.OpenAIError, or a URL httpx cannot parse
                        raise WriterError(f"cannot make an OpenAI client for {self.server_url!r}: {exc}",
                                          hint="the URL looks like http://localhost:11434/v1") from exc
        return self._client

    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]:
        """Yield ``choices[0].delta.content`` of each streamed chunk (``timeout``: connect and each read)."""
        url = self.server_url
        client = self.client()
        import openai  # lazy (client() has loaded it)

        try:
            response = client.chat.completions.create(
                model=self.model, messages=messages, stream=True, temperature=self.temperature,
                max_tokens=self.max_tokens, timeout=timeout)
            chunks = 0
            try:
                for chunk in response:
                    chunks += 1
                    if not chunk.choices:  # e.g. a final usage-only chunk
                        continue
                    piece = chunk.choices[0].delta.content
                    if piece:
                        yield piece
            finally:
                response.close()
            if not chunks:  # a body that is no event stream at all (an HTML page, plain JSON) yields no event
                kind = response.response.headers.get("content-type", "no content type")
                raise ValueError(f"no chat-completion chunk in the stream ({kind})")
        except openai.APITimeoutError as exc:
            raise WriterError(f"LLM server {url} did not answer within {timeout:g} s (model {self.model!r})",
                              hint="check that the server is up and not overloaded, use a smaller model, or "
                                   "raise the writer timeout") from exc
        except openai.APIConnectionError as exc:
            raise WriterError(f"cannot connect to the LLM server at {url}: {exc.__cause__ or exc}",
                              hint="start the server (e.g. 'ollama serve') or fix the URL "
                                   f"(or ${ENV_BASE_URL}), e.g. http://localhost:11434/v1") from exc
        except openai.APIStatusError as exc:
            raise WriterError(f"LLM server {url} answered HTTP {exc.status_code} for model {self.model!r}: "
                              f"{_short(_error_text(exc))}", hint=_status_hint(exc.status_code)) from exc
        except openai.APIError as exc:
            raise WriterError(f"LLM server {url} sent an error in the stream: {_short(exc.message)}",
                              hint="check the server's log") from exc
        except Exception as exc:  # malformed body (bad JSON, missing fields), or a bug in the server
            raise WriterError(f"malformed answer from the LLM server {url}: {type(exc).__name__}: {_short(str(exc))}",
                              hint="the URL must point to an OpenAI-compatible API (it usually ends in /v1)") \
                from exc


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return f"give the server's API key (or set ${ENV_API_KEY})"
    if status == 404:
        return ("check the model name (e.g. 'ollama list', GET /v1/models) and that the URL ends in /v1")
    if status == 429:
        return "the server is rate-limiting: slow down or use another key"
    if status >= 500:
        return "the server failed: check its log, or use a smaller model"
    return "check the model name and the server's documentation"


def _error_text(exc: Any) -> str:
    """The server's own error message (``{"error": {"message": ...}}``), else the client's."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
    return str(getattr(exc, "message", exc))


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- local causal LMs ---------------------------------------------------------------------------------------
class TransformersWriter:
    """A causal LM (hub id or folder) run here with ``model.generate``, streamed by ``TextIteratorStreamer``.

    Loaded on first use, once, under a lock; one generation at a time per writer (the others wait, within
    their ``timeout``). The prompt is the tokenizer's chat template when it has one, else
    ``"<system>\\n\\n<user>\\n\\nassistant:"``, cut from the left to leave room for the answer in the model's
    context. ``temperature`` 0 means greedy decoding.

        TransformersWriter("Qwen/Qwen2.5-0.5B-Instruct").stream(messages, timeout=8.0)  # needs the weights
    """

    def __init__(self, model: str, *, device: str = "cpu", max_new_tokens: int = 120,
                 temperature: float = 0.7) -> None:
        self.model = model
        self.device = device
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.name = f"transformers:{model}"
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()
        self._loaded: tuple[Any, Any] | None = None

    # -- loading -------------------------------------------------------------------------------------------
    def load(self) -> tuple[Any, Any]:
        """``(tokenizer, model)``, loaded on the first call (a :class:`WriterError` if that fails)."""
        if self._loaded is None:
            with self._load_lock:
                if self._loaded is None:
                    self._loaded = self._load()
        return self._loaded

    def _load(self) -> tuple[Any, Any]:
        import torch  # lazy: seconds to import
        from transformers import AutoModelForCausalLM, AutoTokenizer

        src = self.model
        local = Path(src).expanduser()
        is_dir = local.is_dir()
        if not is_dir and (src.startswith((".", "/", "~")) or src.count("/") > 1 or os.sep != "/" and os.sep in src):
            raise WriterError(f"LLM model folder {src!r} does not exist",
                              hint="fix the path, or give a Hugging Face hub id such as Qwen/Qwen2.5-0.5B-Instruct")
        where = str(local) if is_dir else src
        dtype = torch.float32 if self.device == "cpu" else "auto"

        def load(**kw: Any) -> tuple[Any, Any]:
            tok = AutoTokenizer.from_pretrained(where, **kw)
            model = AutoModelForCausalLM.from_pretrained(where, dtype=dtype, **kw)
            return tok, model

        try:
            tok, model = from_folder_cache_or_hub(load, is_dir=is_dir)
            model.to(self.device)
        except Exception as exc:  # OSError (missing files, no network), ValueError/KeyError (bad config), ...
            if is_dir:
                raise WriterError(f"cannot load a causal LM from folder {src!r}: {_short(str(exc))}",
                                  hint="the folder needs config.json, weights and tokenizer files "
                                       "(save_pretrained) of a causal language model") from exc
            raise WriterError(f"cannot load {src!r} from the Hugging Face hub: {_short(str(exc))}",
                              hint="check the model id and the network, or download it on a machine with "
                                   "network (save_pretrained) and pass the folder") from exc
        model.eval()
        if tok.pad_token is None:
            tok.pad_token = tok.eos_token if tok.eos_token is not None else tok.unk_token
        log.info("loaded LLM %s on %s", src, self.device)
        return tok, model

    # -- prompting -----------------------------------------------------------------------------------------
    def prompt(self, messages: Messages) -> str:
        """The text given to the model: the chat template (with the generation prompt) or the plain prompt."""
        tok, _ = self.load()
        if getattr(tok, "chat_template", None):
            try:
                return str(tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))
            except Exception as exc:  # a template that rejects these roles (e.g. no system role)
                raise WriterError(f"the chat template of {self.model!r} rejects the messages: {_short(str(exc))}",
                                  hint="use an instruction-tuned model whose template accepts a system message") \
                    from exc
        parts = [m["content"] if m["role"] in ("system", "user") else f"{m['role']}: {m['content']}"
                 for m in messages]
        return "\n\n".join([*parts, "assistant:"])

    def _max_len(self, tok: Any, model: Any) -> int:
        limit = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
        tok_limit = getattr(tok, "model_max_length", None)
        if tok_limit and tok_limit < 1_000_000 and (not limit or tok_limit < limit):
            limit = tok_limit
        return int(limit or 2048)

    # -- generation ----------------------------------------------------------------------------------------
    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]:
        """Yield the generated text in pieces; ``timeout`` bounds each wait for the next piece."""
        import queue

        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        tok, model = self.load()
        text = self.prompt(messages)
        templated = bool(getattr(tok, "chat_template", None))
        ids = tok(text, add_special_tokens=not templated)["input_ids"]
        max_len = self._max_len(tok, model)
        keep = max(max_len // 2, max_len - self.max_new_tokens)
        if len(ids) > keep:
            log.debug("prompt of %d tokens cut to the last %d (context %d)", len(ids), keep, max_len)
            ids = ids[-keep:]
        new_tokens = max(1, min(self.max_new_tokens, max_len - len(ids)))
        input_ids = torch.tensor([ids], dtype=torch.long, device=model.device)

        stop = threading.Event()

        class _Stop(StoppingCriteria):  # the consumer went away: stop generating
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                return torch.full((input_ids.shape[0],), stop.is_set(), dtype=torch.bool, device=input_ids.device)

        streamer = TextIteratorStreamer(tok, skip_prompt=True, timeout=timeout, skip_special_tokens=True)
        sampling: dict[str, Any] = ({"do_sample": True, "temperature": self.temperature} if self.temperature > 0
                                    else {"do_sample": False})
        failure: list[BaseException] = []

        def generate() -> None:
            try:
                with self._generate_lock, torch.inference_mode():
                    if stop.is_set():
                        streamer.end()
                        return
                    model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                   max_new_tokens=new_tokens, pad_token_id=tok.pad_token_id, streamer=streamer,
                                   stopping_criteria=StoppingCriteriaList([_Stop()]), **sampling)
            except Exception as exc:  # reported to the consumer below
                failure.append(exc)
                streamer.end()

        thread = threading.Thread(target=generate, name="transformers-writer-generate", daemon=True)
        thread.start()
        try:
            for piece in streamer:
                if piece:
                    yield piece
        except queue.Empty:
            raise WriterError(f"{self.name} produced nothing for {timeout:g} s",
                              hint="use a smaller model, a GPU (device='cuda'), fewer new tokens, or a longer "
                                   "timeout") from None
        finally:
            stop.set()
        if failure:
            raise WriterError(f"{self.name} failed while generating: {_short(str(failure[0]))}",
                              hint="check that the model is a causal LM that fits on the device") from failure[0]


# --- factory ------------------------------------------------------------------------------------------------
def make_writer(kind: str, *, url: str | None = None, model: str | None = None,
                api_key: str | None = None) -> ReplyWriter:
    """The writer of ``kind`` (``template``, ``openai`` or ``transformers``); a :class:`ConfigError` when a
    needed ``model`` (or, for ``openai``, a URL: ``url`` or ``$OPENAI_BASE_URL``) is missing.

    >>> make_writer("openai", url="http://localhost:11434/v1", model="qwen2.5:3b").name
    'openai:qwen2.5:3b'
    >>> make_writer("gpt")
    Traceback (most recent call last):
    ...
    intent.errors.ConfigError: unknown LLM writer 'gpt'
    hint: use one of template, openai, transformers
    """
    kind = (kind or "").strip().lower()
    if kind == "template":
        return TemplateWriter()
    if kind not in WRITER_KINDS:
        raise ConfigError(f"unknown LLM writer {kind!r}", hint=f"use one of {', '.join(WRITER_KINDS)}")
    if not model:
        example = "qwen2.5:3b" if kind == "openai" else "Qwen/Qwen2.5-0.5B-Instruct or a model folder"
        raise ConfigError(f"the {kind} writer needs a model name", hint=f"give the model, e.g. {example}")
    if kind == "openai":
        if not (url or os.environ.get(ENV_BASE_URL)):
            raise ConfigError("the openai writer needs the server URL",
                              hint=f"give the URL (Ollama: http://localhost:11434/v1, vLLM: "
                                   f"http://localhost:8000/v1, OpenAI: https://api.openai.com/v1) or set "
                                   f"${ENV_BASE_URL}")
        return OpenAIWriter(url, model, api_key)
    return TransformersWriter(model)
