-- Products given in Vietnam. dcc_mp is the EU DCC medicinal product code: EU/1/... where the
-- product has an EU authorisation, otherwise the value-set code the EU DCC uses for it.
INSERT INTO vaccine_products (code, name, manufacturer, dcc_mp) VALUES
    ('AZ',   'Vaxzevria (AstraZeneca)',            'AstraZeneca AB',                 'EU/1/21/1529'),
    ('CVS',  'Covishield (AstraZeneca, Ấn Độ)',     'Serum Institute Of India',       'Covishield'),
    ('PFZ',  'Comirnaty (Pfizer-BioNTech)',         'BioNTech Manufacturing GmbH',    'EU/1/20/1528'),
    ('MOD',  'Spikevax (Moderna)',                  'Moderna Biotech Spain S.L.',     'EU/1/20/1507'),
    ('JAN',  'Janssen',                             'Janssen-Cilag International',    'EU/1/20/1525'),
    ('VERO', 'Vero Cell (Sinopharm BBIBP-CorV)',    'China Sinopharm International',  'BBIBP-CorV'),
    ('SPV',  'Sputnik V',                           'Gamaleya Research Institute',    'Sputnik-V'),
    ('COVX', 'Covaxin',                             'Bharat Biotech',                 'Covaxin'),
    ('ABD',  'Abdala',                              'Center for Genetic Engineering and Biotechnology', 'CIGB-66'),
    ('HYT',  'Hayat-Vax',                           'Gulf Pharmaceutical Industries', 'Hayat-Vax');
