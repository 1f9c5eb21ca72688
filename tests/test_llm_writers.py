"""Reply writers against real servers and models: the official openai client talking to a local scripted
OpenAI-compatible HTTP server (tests/llm_fake_server.py), and a tiny random GPT-2 saved to a folder and loaded
by path through transformers."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from conftest_intent import make_tiny_gpt2
from llm_fake_server import FakeOpenAIServer, Reply

from chatbot.llm.writers import (
    PLACEHOLDER_API_KEY,
    OpenAIWriter,
    ReplyWriter,
    TemplateWriter,
    TransformersWriter,
    WriterError,
    make_writer,
)
from intent.errors import ConfigError

MESSAGES = [{"role": "system", "content": "你是导购。只说事实。"},
            {"role": "user", "content": "想买跑鞋，500元以内"}]


@pytest.fixture
def server():
    with FakeOpenAIServer() as s:
        yield s
    assert s.errors == []  # the server itself never failed


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- protocol and factory ------------------------------------------------------------------------------------
def test_every_writer_follows_the_protocol(tmp_path):
    for w in (TemplateWriter(), OpenAIWriter("http://x/v1", "m"), TransformersWriter(str(tmp_path))):
        assert isinstance(w, ReplyWriter)
    assert [TemplateWriter().name, OpenAIWriter(None, "qwen").name, TransformersWriter("gpt2").name] == [
        "template", "openai:qwen", "transformers:gpt2"]
    assert list(TemplateWriter().stream(MESSAGES, timeout=1.0)) == []


def test_make_writer_kinds_and_clear_errors(monkeypatch):
    assert isinstance(make_writer("template"), TemplateWriter)
    w = make_writer("openai", url="http://127.0.0.1:1/v1", model="m", api_key="k")
    assert isinstance(w, OpenAIWriter) and (w.base_url, w.model, w.api_key) == ("http://127.0.0.1:1/v1", "m", "k")
    assert isinstance(make_writer("transformers", model="/some/folder"), TransformersWriter)
    with pytest.raises(ConfigError, match="needs the server URL") as info:
        make_writer("openai", model="m")
    assert "OPENAI_BASE_URL" in info.value.hint
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    assert make_writer("openai", model="m").server_url == "http://127.0.0.1:1/v1"
    for kind in ("openai", "transformers"):
        with pytest.raises(ConfigError, match=f"the {kind} writer needs a model name"):
            make_writer(kind, url="http://127.0.0.1:1/v1")
    with pytest.raises(ConfigError, match="unknown LLM writer 'llama'"):
        make_writer("llama", model="m")


def test_import_is_light():
    import subprocess
    import sys

    code = ("import sys, chatbot.llm.writers; "
            "print(sorted(m for m in ('openai', 'torch', 'transformers', 'httpx2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- OpenAI-compatible server ----------------------------------------------------------------------------------
def test_streamed_pieces_join_to_the_text_and_the_request_carries_model_and_messages(server):
    text = "为您找到 3 款跑鞋：李宁 赤兔 ¥399，有货。"
    server.script(Reply(text=text, chunk_size=3))
    w = OpenAIWriter(server.url, "qwen2.5:3b", temperature=0.2, max_tokens=123)
    pieces = list(w.stream(MESSAGES, timeout=5.0))
    assert "".join(pieces) == text and len(pieces) == len(range(0, len(text), 3)) > 1
    (body,) = server.completions
    assert body["model"] == "qwen2.5:3b" and body["messages"] == MESSAGES and body["stream"] is True
    assert body["temperature"] == 0.2 and body["max_tokens"] == 123
    assert server.requests[0].headers["authorization"] == f"Bearer {PLACEHOLDER_API_KEY}"


def test_pieces_arrive_as_they_are_sent(server):
    server.script(Reply(chunks=["一", "二", "三", "四"], chunk_delay=0.15))
    w = OpenAIWriter(server.url, "m")
    start, arrivals = time.monotonic(), []
    for piece in w.stream(MESSAGES, timeout=2.0):
        arrivals.append((piece, time.monotonic() - start))
    assert [p for p, _ in arrivals] == ["一", "二", "三", "四"]
    assert arrivals[-1][1] - arrivals[0][1] >= 0.35  # streamed, not buffered until the end


def test_one_client_serves_several_threads(server):
    server.script(lambda request: Reply(text=f"回答：{request['messages'][-1]['content']}", chunk_delay=0.02))
    w = OpenAIWriter(server.url, "m")
    results: dict[int, str] = {}

    def ask(i: int) -> None:
        results[i] = "".join(w.stream([{"role": "user", "content": f"问题{i}"}], timeout=5.0))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == {i: f"回答：问题{i}" for i in range(6)}
    assert w.client() is w.client()


def test_slow_answer_times_out_within_about_the_timeout(server):
    server.script(Reply(text="太慢了", delay=5.0))
    w = OpenAIWriter(server.url, "m")
    start = time.monotonic()
    with pytest.raises(WriterError, match=r"did not answer within 0.5 s") as info:
        list(w.stream(MESSAGES, timeout=0.5))
    assert time.monotonic() - start < 2.0  # no retries, no waiting for the server
    assert server.url in str(info.value) and info.value.hint


def test_a_pause_mid_stream_longer_than_the_timeout_is_an_error(server):
    server.script(Reply(chunks=["先说", "然后停很久"], chunk_delay=3.0))
    got = []
    start = time.monotonic()
    with pytest.raises(WriterError, match="did not answer within"):
        for piece in OpenAIWriter(server.url, "m").stream(MESSAGES, timeout=0.5):
            got.append(piece)
    assert got == ["先说"] and time.monotonic() - start < 2.0


def test_http_500_names_the_status_and_the_server(server):
    server.script(Reply(status=500))
    with pytest.raises(WriterError, match="answered HTTP 500 for model 'm': scripted failure 500") as info:
        list(OpenAIWriter(server.url, "m").stream(MESSAGES, timeout=2.0))
    assert server.url in str(info.value) and "log" in info.value.hint
    assert len(server.completions) == 1  # max_retries=0: asked once


def test_unknown_model_404_hints_at_the_model_name(server):
    server.script(Reply(status=404))
    with pytest.raises(WriterError, match="HTTP 404 for model 'nope'") as info:
        list(OpenAIWriter(server.url, "nope").stream(MESSAGES, timeout=2.0))
    assert "model name" in info.value.hint


@pytest.mark.parametrize("raw", ["data: {not json\n\n", 'data: {"choices": "oops"}\n\n', "<html>hello</html>"])
def test_malformed_answers_are_writer_errors(server, raw):
    server.script(Reply(raw=raw))
    with pytest.raises(WriterError, match="malformed answer"):
        list(OpenAIWriter(server.url, "m").stream(MESSAGES, timeout=2.0))


def test_an_error_event_in_the_stream_is_a_writer_error(server):
    server.script(Reply(raw='data: {"error": {"message": "model crashed"}}\n\n'))
    with pytest.raises(WriterError, match="sent an error in the stream: model crashed"):
        list(OpenAIWriter(server.url, "m").stream(MESSAGES, timeout=2.0))


def test_connection_refused_is_a_writer_error():
    url = f"http://127.0.0.1:{_free_port()}/v1"
    start = time.monotonic()
    with pytest.raises(WriterError, match="cannot connect to the LLM server") as info:
        list(OpenAIWriter(url, "m").stream(MESSAGES, timeout=2.0))
    assert url in str(info.value) and "ollama serve" in info.value.hint
    assert time.monotonic() - start < 2.0


def test_url_and_key_fall_back_to_the_openai_environment_variables(server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    server.script(Reply(text="ok"))
    assert "".join(OpenAIWriter(None, "m").stream(MESSAGES, timeout=2.0)) == "ok"
    assert "".join(OpenAIWriter(None, "m", api_key="sk-given").stream(MESSAGES, timeout=2.0)) == "ok"
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer sk-from-env", "Bearer sk-given"]


def test_fake_server_models_queue_and_plain_completion(server):
    import urllib.request

    models = json.load(urllib.request.urlopen(server.url + "/models", timeout=5))
    assert [m["id"] for m in models["data"]] == ["fake-model"]
    server.script(Reply(text="默认"))
    server.queue(Reply(text="第一"), Reply(status=503))
    w = OpenAIWriter(server.url, "m")
    assert "".join(w.stream(MESSAGES, timeout=2.0)) == "第一"
    with pytest.raises(WriterError, match="HTTP 503"):
        list(w.stream(MESSAGES, timeout=2.0))
    assert "".join(w.stream(MESSAGES, timeout=2.0)) == "默认"
    completion = w.client().chat.completions.create(model="m", messages=MESSAGES, stream=False, timeout=2.0)
    assert completion.choices[0].message.content == "默认"


# --- local transformers model ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_lm_dir(tmp_path_factory):
    texts = [m["content"] for m in MESSAGES] + ["abcdefghijklmnopqrstuvwxyz 0123456789 assistant: 为您找到跑鞋"]
    return make_tiny_gpt2(tmp_path_factory.mktemp("tiny-lm"), texts)


@pytest.fixture(scope="module")
def tiny_chat_lm_dir(tiny_lm_dir, tmp_path_factory):
    """The same model with a chat template in its tokenizer."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = tmp_path_factory.mktemp("tiny-chat-lm")
    tok = AutoTokenizer.from_pretrained(tiny_lm_dir)
    tok.chat_template = ("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}\n{% endfor %}"
                         "{% if add_generation_prompt %}<assistant>{% endif %}")
    tok.save_pretrained(folder)
    AutoModelForCausalLM.from_pretrained(tiny_lm_dir).save_pretrained(folder)
    return folder


def test_transformers_writer_streams_text_from_a_folder(tiny_lm_dir):
    import torch

    torch.manual_seed(0)
    w = TransformersWriter(str(tiny_lm_dir), max_new_tokens=12)
    start = time.monotonic()
    pieces = list(w.stream(MESSAGES, timeout=10.0))
    assert pieces and all(isinstance(p, str) and p for p in pieces) and "".join(pieces).strip()
    assert time.monotonic() - start < 10.0
    assert w.prompt(MESSAGES) == "你是导购。只说事实。\n\n想买跑鞋，500元以内\n\nassistant:"
    tok, model = w.load()
    assert tok.pad_token is not None and w.load()[1] is model  # loaded once


def test_transformers_writer_uses_the_chat_template_and_greedy_decoding(tiny_chat_lm_dir):
    w = TransformersWriter(str(tiny_chat_lm_dir), max_new_tokens=8, temperature=0.0)
    assert w.prompt(MESSAGES) == "<system>你是导购。只说事实。\n<user>想买跑鞋，500元以内\n<assistant>"
    first = "".join(w.stream(MESSAGES, timeout=10.0))
    assert first == "".join(w.stream(MESSAGES, timeout=10.0))  # greedy: the same text twice


def test_a_prompt_longer_than_the_context_is_cut(tiny_lm_dir):
    """The tiny model has 64 positions: a 600-character prompt must be cut, not crash generation."""
    import torch

    torch.manual_seed(1)
    w = TransformersWriter(str(tiny_lm_dir), max_new_tokens=200)
    long = [{"role": "system", "content": "只说事实。" * 100}, {"role": "user", "content": "想买跑鞋"}]
    assert isinstance("".join(w.stream(long, timeout=10.0)), str)


def test_closing_the_stream_stops_generation(tiny_lm_dir):
    w = TransformersWriter(str(tiny_lm_dir), max_new_tokens=60, temperature=1.0)
    gen = w.stream(MESSAGES, timeout=10.0)
    next(gen, None)
    gen.close()
    deadline = time.monotonic() + 5
    while any(t.name == "transformers-writer-generate" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "generation thread still running"
        time.sleep(0.02)


def test_transformers_writer_missing_broken_folder_and_offline_hub(tmp_path):
    with pytest.raises(WriterError, match="does not exist"):
        list(TransformersWriter(str(tmp_path / "nope")).stream(MESSAGES, timeout=5.0))
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(WriterError, match="cannot load a causal LM from folder") as info:
        list(TransformersWriter(str(tmp_path)).stream(MESSAGES, timeout=5.0))
    assert "save_pretrained" in info.value.hint
    start = time.monotonic()  # HF_HUB_OFFLINE=1 (tests/conftest.py): a hub id fails at once
    with pytest.raises(WriterError, match="cannot load 'someone/tiny-chat' from the Hugging Face hub"):
        list(TransformersWriter("someone/tiny-chat").stream(MESSAGES, timeout=5.0))
    assert time.monotonic() - start < 5.0
