"""The browser side: the Gradio shopper page, the staff console and the HTTP server that mounts both."""
