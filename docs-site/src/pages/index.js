// Landing page: what the site is, and a link to each generated service index.
import React from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';
import { useAllDocsData } from '@docusaurus/plugin-content-docs/client';
import styles from './index.module.css';

// The generator writes docs/<provider>/<service>/index.mdx for each service and one page
// per resource beside it, so the services are read from the docs plugin's data.
function useServices() {
  const docs = useAllDocsData().default?.versions?.[0]?.docs ?? [];
  const services = new Map();
  for (const doc of docs) {
    const parts = doc.id.split('/');
    if (parts.length === 3 && parts[2] === 'index') {
      const key = `${parts[0]}/${parts[1]}`;
      services.set(key, { ...(services.get(key) ?? { resources: 0 }), provider: parts[0], name: parts[1], path: doc.path });
    }
  }
  for (const doc of docs) {
    const parts = doc.id.split('/');
    if (parts.length === 3 && parts[2] !== 'index') {
      const service = services.get(`${parts[0]}/${parts[1]}`);
      if (service) service.resources += 1;
    }
  }
  // Array.from, not [...iterator]: the site's Babel preset spreads iterators loosely.
  return Array.from(services.values()).sort((a, b) => a.name.localeCompare(b.name));
}

const features = [
  {
    title: 'Fields',
    body: 'Every property of a resource type with its datatype, constraints and whether it is required, read-only, create-only or write-only, plus the nested types it uses.',
  },
  {
    title: 'SQL methods and examples',
    body: 'Which SQL verbs reach the resource (SELECT, INSERT, UPDATE, DELETE), the parameters each needs, and ready-to-run examples, including a stack-deploy manifest.',
  },
  {
    title: 'IAM permissions',
    body: 'The permissions each handler needs, and a policy that allows them all.',
  },
  {
    title: 'API operations and the Rust client',
    body: 'The service API calls behind each resource, from the Smithy model, and the generated Rust client that makes them.',
  },
];

export default function Home() {
  const services = useServices();
  return (
    <Layout
      title="AWS resource docs"
      description="Docs generated from AWS CloudFormation resource schemas and Smithy service models."
    >
      <header className={styles.hero}>
        <div className="container">
          <Heading as="h1" className={styles.title}>
            aws-codegen
          </Heading>
          <p className={styles.lead}>
            Reference pages generated from AWS&apos;s CloudFormation resource schemas and Smithy service
            models: each resource with its fields, SQL methods and examples, IAM permissions, and the Rust
            client.
          </p>
          {services.length > 0 && (
            <Link className="button button--primary button--lg" to={services[0].path}>
              Browse {services[0].name}
            </Link>
          )}
        </div>
      </header>
      <main className="container margin-vert--lg">
        <section className={styles.features}>
          {features.map((feature) => (
            <div key={feature.title} className={styles.feature}>
              <Heading as="h2" className={styles.featureTitle}>
                {feature.title}
              </Heading>
              <p>{feature.body}</p>
            </div>
          ))}
        </section>
        <section>
          <Heading as="h2">Services</Heading>
          {services.length === 0 ? (
            <p>No service pages have been generated yet: run <code>cargo xtask generate</code>.</p>
          ) : (
            <ul className={styles.services}>
              {services.map((service) => (
                <li key={`${service.provider}/${service.name}`}>
                  <Link to={service.path}>
                    <code>
                      {service.provider}.{service.name}
                    </code>
                  </Link>{' '}
                  — {service.resources} resource {service.resources === 1 ? 'page' : 'pages'}
                </li>
              ))}
            </ul>
          )}
          <p className={styles.note}>
            Nothing here is written by hand: <code>cargo xtask generate</code> reads the pinned specs and
            writes every page, so a new schema in the spec directory becomes a new page.
          </p>
        </section>
      </main>
    </Layout>
  );
}
