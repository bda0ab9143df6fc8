-- Rasa's tracker store lives in its own database beside the application's.
CREATE DATABASE rasa OWNER troly;
