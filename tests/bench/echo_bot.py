"""The yardstick for ``make bench``: a bare echo bot in the style of line-bot-sdk-python's
``examples/flask-echo`` (v3 API), written for this project. It checks the signature, parses
with the SDK and replies synchronously before answering 200: no storage, no understanding.

Served as ``gunicorn 'tests.bench.echo_bot:create_app()'`` with the same settings as the bot.
"""
import os

from flask import Flask, abort, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, TextMessageContent


def create_app() -> Flask:
    app = Flask(__name__)
    parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])
    configuration = Configuration(host=os.environ.get("LINE_API_ENDPOINT", "https://api.line.me"),
                                  access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"])

    @app.post("/callback")
    def callback():
        signature = request.headers.get("X-Line-Signature", "")
        body = request.get_data(as_text=True)
        try:
            events = parser.parse(body, signature)
        except InvalidSignatureError:
            abort(400)
        for event in events:
            if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                with ApiClient(configuration) as api_client:
                    MessagingApi(api_client).reply_message_with_http_info(
                        ReplyMessageRequest(reply_token=event.reply_token,
                                            messages=[TextMessage(text=event.message.text)]))
        return "OK"

    @app.get("/healthz")
    def healthz():
        return "OK"

    return app
