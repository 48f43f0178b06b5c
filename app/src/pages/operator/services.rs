//! The services that sign people in through the portal (PRODUCT.md §11): the list, the
//! registration of a new one — its secret shown this once — and a new secret for one.

use inscription_shared::operator::{
    client_fields as fields, ClientSecret, NewServiceClient, ServiceClient,
};
use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use super::{when, OperatorFrame};
use crate::api;
use crate::components::{
    load, Checkbox, ChoiceField, Form, FormState, Outcome, OutcomeNotice, SubmitButton,
    TextAreaField, TextField,
};

/// The lines of a text area that say something.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The secret of the service just registered or given a new one: shown once, here.
#[component]
fn SecretNotice(secret: RwSignal<Option<ClientSecret>>) -> impl IntoView {
    move || {
        secret.get().map(|shown| {
            let body = match shown.secret {
                Some(secret) => view! {
                    <p>{format!("Secret du service «\u{a0}{}\u{a0}», affiché cette seule fois\u{a0}: copiez-le maintenant dans la configuration du service.", shown.client_id)}</p>
                    <p><code class="secret">{secret}</code></p>
                }.into_any(),
                None => view! {
                    <p>{format!("Service public «\u{a0}{}\u{a0}» enregistré\u{a0}: il n’a pas de secret et prouve son identité par PKCE.", shown.client_id)}</p>
                }.into_any(),
            };
            view! {
                <div class="notice notice--success" role="status" id="secret-du-service" tabindex="-1">{body}</div>
            }
        })
    }
}

/// One service's row, with its "new secret" action behind a confirmation.
#[component]
fn ClientRow(
    client: ServiceClient,
    right: String,
    secret: RwSignal<Option<ClientSecret>>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let client_id = client.client_id.clone();
    let rotate = move |_| {
        let client_id = client_id.clone();
        leptos::task::spawn_local(async move {
            match api::operator::rotate_client_secret(client_id).await {
                Ok(answer) => {
                    outcome.set(None);
                    secret.set(Some(answer));
                    crate::components::focus("secret-du-service");
                }
                Err(error) => outcome.set(Some(Outcome::Failed(error.message))),
            }
            confirming.set(false);
            reload.run(());
        });
    };
    let name = client.name.clone();
    view! {
        <tr>
            <th scope="row">{client.name}</th>
            <td><code>{client.client_id}</code><br/>
                <span class="muted">{if client.public { "Public (PKCE seul)" } else { "Confidentiel" }}</span></td>
            <td>{right}</td>
            <td><ul class="plain">{client.redirect_uris.into_iter().map(|uri| view! { <li>{uri}</li> }).collect_view()}</ul></td>
            <td>{when(Some(client.created_at))}
                {client.secret_rotated_at.map(|at| format!(" (secret renouvelé le {})", when(Some(at))))}</td>
            <td>
                {(!client.public).then(|| view! {
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="button button--secondary button--small"
                            aria-label=format!("Nouveau secret\u{a0}: {name}")
                            on:click=move |_| confirming.set(true)>"Nouveau secret…"</button>
                    }>
                        <p>"Le secret actuel cessera aussitôt de fonctionner."</p>
                        <button type="button" class="button button--primary button--small" on:click=rotate.clone()>"Confirmer le nouveau secret"</button>
                        " "
                        <button type="button" class="button button--secondary button--small" on:click=move |_| confirming.set(false)>"Annuler"</button>
                    </Show>
                })}
            </td>
        </tr>
    }
}

#[component]
fn Register(
    catalogue: Signal<Vec<(String, String)>>,
    secret: RwSignal<Option<ClientSecret>>,
    reload: Callback<()>,
) -> impl IntoView {
    let client_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let redirect_uris = RwSignal::new(String::new());
    let logout_uris = RwSignal::new(String::new());
    let public = RwSignal::new(false);
    // The server checks every rule and names the field at fault.
    let form = FormState::new();
    let submit = move || {
        if !form.begin(Vec::new()) {
            return;
        }
        let request = NewServiceClient {
            client_id: client_id.get_untracked(),
            name: name.get_untracked(),
            service_code: service.get_untracked(),
            redirect_uris: lines(&redirect_uris.get_untracked()),
            post_logout_redirect_uris: lines(&logout_uris.get_untracked()),
            public: public.get_untracked(),
        };
        let done = move |answer: ClientSecret| {
            for field in [client_id, name, service, redirect_uris, logout_uris] {
                field.set(String::new());
            }
            public.set(false);
            secret.set(Some(answer));
            reload.run(());
            crate::components::focus("secret-du-service");
        };
        form.send(
            async move { api::operator::register_service_client(&request).await },
            done,
            |_: &ErrorResponse| {},
        );
    };
    view! {
        <h2>"Enregistrer un service"</h2>
        <Form state=form on_submit=submit>
            <TextField id=fields::CLIENT_ID label="Identifiant du service (client_id)" value=client_id
                hint="Minuscules sans accent, chiffres, points et tirets, par exemple consultation-prets."
                error=form.error(fields::CLIENT_ID)/>
            <TextField id=fields::NAME label="Nom du service" value=name error=form.error(fields::NAME)
                hint="Tel que le portail le montre aux personnes."/>
            <ChoiceField id=fields::SERVICE label="Habilitation qui ouvre le service" value=service
                options=catalogue error=form.error(fields::SERVICE)/>
            <TextAreaField id=fields::REDIRECT_URIS label="Adresses de retour" value=redirect_uris rows=3
                hint="Une par ligne, en https://, telles que le service les enverra\u{a0}: elles doivent correspondre exactement."
                error=form.error(fields::REDIRECT_URIS)/>
            <TextAreaField id=fields::POST_LOGOUT_REDIRECT_URIS label="Adresses après déconnexion (facultatif)"
                value=logout_uris rows=2 hint="Une par ligne."
                error=form.error(fields::POST_LOGOUT_REDIRECT_URIS)/>
            <Checkbox id="public" checked=public error=Signal::derive(|| None)>
                "Service public (application dans le navigateur ou sur téléphone)\u{a0}: sans secret, PKCE seul"
            </Checkbox>
            <div class="form__actions">
                <SubmitButton state=form label="Enregistrer le service" pending_label="Enregistrement…"/>
            </div>
        </Form>
    }
}

#[component]
pub fn OperatorServices() -> impl IntoView {
    let listing = load(api::operator::service_clients);
    let outcome = RwSignal::new(None::<Outcome>);
    let secret = RwSignal::new(None::<ClientSecret>);
    let reload = Callback::new(move |()| listing.reload());
    let catalogue = Signal::derive(move || {
        listing.with(|answer| match answer {
            Some(Ok(listing)) => listing
                .catalogue
                .iter()
                .map(|s| (s.code.clone(), s.label.clone()))
                .collect(),
            _ => Vec::new(),
        })
    });
    let discovery = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .map(|origin| format!("{origin}/.well-known/openid-configuration"))
        .unwrap_or_default();
    view! {
        <OperatorFrame title="Services connectés">
            <p>"Les services en ligne du prêteur connectent les personnes par le portail (OpenID Connect). \
                Chacun correspond à une habilitation\u{a0}: seules les personnes qui la détiennent y accèdent."</p>
            <p>"Adresse de découverte à donner aux services\u{a0}: "<code>{discovery}</code></p>
            <OutcomeNotice outcome/>
            <SecretNotice secret/>
            {listing.view(move |listing| {
                if listing.clients.is_empty() {
                    return view! { <p>"Aucun service enregistré."</p> }.into_any();
                }
                let label = |code: &str| listing.catalogue.iter().find(|s| s.code == code)
                    .map_or_else(|| code.to_owned(), |s| s.label.clone());
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Services enregistrés">
                        <table class="users">
                            <caption class="visually-hidden">"Services enregistrés"</caption>
                            <thead><tr>
                                <th scope="col">"Service"</th><th scope="col">"Identifiant"</th>
                                <th scope="col">"Habilitation"</th>
                                <th scope="col">"Adresses de retour"</th><th scope="col">"Enregistré le"</th>
                                <th scope="col">"Secret"</th>
                            </tr></thead>
                            <tbody>
                                {listing.clients.iter().cloned().map(|client| {
                                    let right = label(&client.service_code);
                                    view! { <ClientRow client right secret outcome reload/> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
            <Register catalogue secret reload/>
        </OperatorFrame>
    }
}
