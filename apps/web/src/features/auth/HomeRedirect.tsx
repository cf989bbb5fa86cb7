import { Navigate } from 'react-router';
import { useSignedInUser } from './hooks';
import { landingPath } from './landing';

/** `/`: sends a signed-in person to where they would land after signing in. */
export function HomeRedirect() {
  const user = useSignedInUser();
  return <Navigate to={landingPath(user)} replace />;
}
