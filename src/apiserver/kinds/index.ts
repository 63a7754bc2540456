// Every kind kubesim serves. Importing this registers them all (names, strategies, columns); the
// entry points import it before anything else. Adding a kind: a module here and one line below.
import './namespace';
import './node';
import './service';
import './pod';
import './endpoints';
import './event';
import './endpointslice';
import './deployment';
import './replicaset';
import './lease';
import './serviceaccount';
import './configmap';
import './secret';
import './job';
import './cronjob';
import './daemonset';
import './resourcequota';
import './limitrange';
import './poddisruptionbudget';
import './statefulset';
import './controllerrevision';
import './persistentvolume';
import './persistentvolumeclaim';
import './storageclass';
import './hpa';
import './networkpolicy';
