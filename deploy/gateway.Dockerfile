# The gateway (FastAPI): the only service published to the outside.
FROM python:3.11-slim
WORKDIR /app
COPY requirements/app.lock.txt requirements/app.lock.txt
RUN pip install --no-cache-dir -r requirements/app.lock.txt
COPY . /app
RUN pip install --no-cache-dir --no-deps -e .
USER 1001
ENTRYPOINT ["python", "-m", "channels"]
