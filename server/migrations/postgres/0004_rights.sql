-- Rights per online service (PRODUCT.md §5). The catalogue is a table, so that operators
-- can change it; these are the six services the product starts with.
CREATE TABLE services (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO services (code, label, position) VALUES
    ('consultation', 'Consultation des encours et des échéanciers', 1),
    ('saisie', 'Saisie des demandes de prêt', 2),
    ('validation', 'Validation et envoi des demandes de prêt', 3),
    ('dossiers', 'Dossiers en cours d’instruction et pièces jointes', 4),
    ('courriers', 'Courriers et documents', 5),
    ('administration', 'Administration', 6);

CREATE TABLE user_rights (
    user_id BIGINT NOT NULL REFERENCES users (id),
    service_code TEXT NOT NULL REFERENCES services (code),
    PRIMARY KEY (user_id, service_code)
);
